#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# deb.sh DEB: the Debian package of `make deb`: what it holds, lintian (no error and
# no warning), a library that loads on the oldest supported glibc (check-glibc), and
# the packaged library, launcher, header and join.pc at work from the unpacked tree
# (a package of this machine's architecture; an arm64 one runs in tests/deb-arm64.sh).
# Ends with "deb: N passed, N failed".
. "$(dirname "$0")/integration/lib.sh"
DEB=$1
A=$(dpkg-deb -f "$DEB" Architecture)
MA=$(dpkg-architecture -a"$A" -qDEB_HOST_MULTIARCH 2>/dev/null)
R=$T/root
dpkg-deb -x "$DEB" "$R" || { echo "not ok unpack $DEB"; exit 1; }
L=$R/usr/lib/$MA/libjoin/libjoin.so
{
  for f in usr/bin/joinrun usr/include/join.h usr/lib/$MA/libjoin/libjoin.so usr/lib/$MA/pkgconfig/join.pc \
    usr/share/man/man1/joinrun.1.gz usr/share/man/man3/libjoin.3.gz usr/share/doc/libjoin/copyright \
    usr/share/doc/libjoin/changelog.gz; do
    check "holds $f" sh -c "dpkg-deb -c '$DEB' | grep -q ' ./$f\$'"
  done
  check copyright-mit grep -qx 'License: MIT' "$R/usr/share/doc/libjoin/copyright"
  check depends-on-libc sh -c "dpkg-deb -f '$DEB' Depends | grep -q 'libc6 (>= 2.3'"
  check lintian-clean lintian --fail-on error,warning "$DEB"
  check library-on-oldest-glibc "$ROOT/packaging/check-glibc" 2.34 "$L" "$R/usr/bin/joinrun"
  check joinrun-knows-its-library sh -c "strings '$R/usr/bin/joinrun' | grep -qx '/usr/lib/$MA/libjoin'"
  if [ "$A" = "$(dpkg --print-architecture)" ]; then
    check joinrun-version sh -c "'$R/usr/bin/joinrun' --version | grep -q ."
    # The packaged library at work: one record for the child, the program's status kept.
    JOIN_LOG=$T/log LD_PRELOAD=$L sh -c 'sh -c "exit 3"; exit 4'
    check status-kept test $? = 4
    check record grep -Eq "$AWAIT_RE'sh [0-9]+: 3'\$" "$T/log"
    # join.pc and join.h as a user of -ljoin has them.
    flags=$(PKG_CONFIG_PATH=$R/usr/lib/$MA/pkgconfig PKG_CONFIG_SYSROOT_DIR=$R pkg-config --cflags --libs join)
    printf '#include <join.h>\n#include <unistd.h>\nint main(void){char b[64]; if (!fork()) _exit(5); return join_await(b, sizeof b) < 0;}\n' >$T/u.c
    check links-with-pc sh -c "cc -o '$T/u' '$T/u.c' $flags && LD_LIBRARY_PATH='$R/usr/lib/$MA/libjoin' JOIN_LOG=off '$T/u'"
  fi
} >"$T/out"
cat "$T/out"
fail=$(grep -c '^not ok ' "$T/out")
echo "deb-$A: $(grep -c '^ok ' "$T/out") passed, $fail failed"
[ "$fail" = 0 ]
