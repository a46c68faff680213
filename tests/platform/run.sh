#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The platform suite: a target's build (B=build-aarch64 or build-musl, made by
# `make test-aarch64` / `make test-musl`) runs target programs, under qemu-user for
# aarch64 (PLATFORM=aarch64): each kind of child gets its record with its status,
# a signal's death its exit string, and the program sees what it sees without us.
. "$(dirname "$0")/../integration/lib.sh"
PLATFORM=${PLATFORM:?PLATFORM=aarch64 or musl}
CH=$B/tests/platform/children
DEMO=$B/examples/demo
# The target's libc under qemu: the cross one, unless qemu-user hangs in the child
# of a fork there.  qemu 7.2 (Debian 12) does on some hosts (kernel 6.18) with
# Debian 12's arm64 glibc 2.36, in any dynamic program, libjoin or not (fork's
# stack list loops); Debian 13's arm64 glibc 2.41, from the shared root image, works.
SYSROOT=/usr/aarch64-linux-gnu
if [ "$PLATFORM" = aarch64 ]; then
  timeout 30 qemu-aarch64 -L "$SYSROOT" "$CH" >/dev/null 2>&1
  if [ $? = 124 ]; then
    img=$(bash "$(dirname "$0")/../debian13-root.sh" | sed -n 's/^debian13-root: \([^ ]*\) .*/\1/p')
    SYSROOT=$T/sysroot
    mkdir -p "$SYSROOT" && ln -s usr/lib "$SYSROOT/lib" &&
      tar -xf "${img:-/nonexistent}" -C "$SYSROOT" ./usr/lib/ld-linux-aarch64.so.1 ./usr/lib/aarch64-linux-gnu/ ||
      { echo "not ok qemu-fork (qemu-aarch64 hangs at a fork and no Debian 13 root)"; exit 1; }
    echo "# qemu-aarch64 hangs at a fork on the cross glibc: the target libc is Debian 13's"
  fi
fi
# run VAR=VALUE... -- PROG: the program with those variables, on the target.
run() {
  local vars=() qvars=()
  while [ "$1" != -- ]; do vars+=("$1"); qvars+=(-E "$1"); shift; done
  shift
  if [ "$PLATFORM" = aarch64 ]; then
    qemu-aarch64 -L "$SYSROOT" "${qvars[@]}" "$@"
  else
    env "${vars[@]}" "$@"
  fi
}
# pre PROG VAR=VALUE...: PROG under the library, the log in $T/log.
pre() { local p=$1; shift; run LD_PRELOAD="$LIB" JOIN_LOG="$T/log" "$@" -- "$p"; }

if [ "$PLATFORM" = aarch64 ]; then
  check built-for-aarch64 sh -c 'file -L "$1" "$2" | grep -c "ARM aarch64" | grep -qx 2' sh "$LIB" "$CH"
else
  check built-for-musl sh -c 'readelf -d "$1" | grep -q "NEEDED.*\[libc.so\]"' sh "$LIB"
fi
run -- "$CH" >"$T/native.out" 2>&1
check native-statuses test $? = 0
pre "$CH" >"$T/pre.out" 2>"$T/pre.err"
check preloaded-statuses test $? = 0
check same-output-as-native cmp "$T/native.out" "$T/pre.out"
check nothing-on-stderr test ! -s "$T/pre.err"
check one-record-a-child test "$(grep -Ec "$AWAIT_RE" "$T/log")" = 10
# want COUNT TEXT: COUNT records end with the exit string TEXT (a regex).
want() { test "$(grep -Ec "^[0-9]+ [0-9]+ [0-9]+ [0-9]+ $2\$" "$T/log")" = "$1"; }
check fork-exit-3 want 1 "'[^ ]+ [0-9]+: 3'"
check vfork-exit-4 want 1 "'[^ ]+ [0-9]+: 4'"
check spawn-exit-6 want 1 "'[^ ]+ [0-9]+: 6'"
check system-exit-7 want 1 "'[^ ]+ [0-9]+: 7'"
check popen-exit-5 want 1 "'[^ ]+ [0-9]+: 5'"
check sigterm-kill want 1 "'[^ ]+ [0-9]+: kill'"
check sigint-interrupt want 1 "'[^ ]+ [0-9]+: interrupt'"
check exit-0-empty want 3 "''"

rm -f "$T/log"
pre "$CH" JOIN_FORMAT=jsonl >/dev/null 2>&1
# how HOW COUNT: COUNT fork events of that kind, each child reaped and tracked.
how() { test "$(grep -c "\"event\":\"fork\".*\"how\":\"$1\"" "$T/log")" = "$2"; }
check jsonl-fork how fork 3
check jsonl-vfork how vfork 1
check jsonl-posix-spawn how posix_spawn 2
check jsonl-system how system 1
check jsonl-popen how popen 3
check jsonl-all-tracked test "$(grep '"event":"reap"' "$T/log" | grep -c '"tracked":true')" = 10
check jsonl-pclose-call test "$(grep -c '"event":"reap".*"call":"pclose"' "$T/log")" = 3

# The demo, in a directory of its own (its abort may leave a core file).  Its shells
# are the host's: glibc's loader cannot load a musl library (LD_PRELOAD is fatal
# there), so under musl the library is given to musl's loader alone (--preload).
mkdir "$T/demo" && cd "$T/demo" || exit 1
rm -f "$T/log"
if [ "$PLATFORM" = musl ]; then
  JOIN_LOG=$T/log /lib/ld-musl-"$(uname -m)".so.1 --preload "$LIB" "$DEMO" >"$T/demo.out" 2>/dev/null
else
  pre "$DEMO" >"$T/demo.out" 2>/dev/null
fi
check demo-runs grep -q 'system() returned' "$T/demo.out"
check demo-records test "$(grep -Ec "$AWAIT_RE" "$T/log")" = 7
check demo-segv grep -q ": sys: segmentation violation'$" "$T/log"
check demo-spawn-42 grep -q ": 42'$" "$T/log"
check demo-system-interrupt grep -q ": interrupt'$" "$T/log"
