#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Hostile configuration: every JOIN_* variable with empty, huge (64 KiB),
# non-numeric, negative, overflowing, non-UTF-8 and blank-padded values, and log
# paths with %p repeated.  The program (it forks, never execs: one process, so one
# warning) prints and exits as natively; each bad value gets one whole warning
# naming the variable, the value and the fallback; a value that is good (JOIN_LOG
# as a relative path) gets none and is used.  Then all bad at once.  Last, in
# secure execution (setuid, and file capabilities, copies made as root) no
# variable is read and no path opened.
. "$(dirname "$0")/lib.sh"
NATIVE=$B/tests/native
[ -z "${REL_SAN:-}" ] || exit 0
P=$NATIVE/rel_faults
KIDS=5
mkdir -p "$T/cwd"
"$P" live $KIDS >"$T/native.out" 2>&1 || { echo "not ok config-native"; exit 1; }
big=$(head -c 65536 /dev/zero | tr '\0' 7)
declare -A V=([empty]="" [huge]="$big" [word]="abc" [negative]="-5" [overflow]="99999999999999999999999"
  [nonutf8]=$'\xff\xfe\x80' [padded]=" 1 " [exponent]="1e3" [pct]="%p%p%p")

# run ENV...: the program preloaded in $T/cwd; stdout, status as natively.
run() {
  rm -f "$T/log"
  (cd "$T/cwd" && env "$@" LD_PRELOAD="$LIB" "$P" live $KIDS >"$T/out" 2>"$T/err") || { echo "exit status"; return 1; }
  cmp -s "$T/native.out" "$T/out" || { echo "output differs"; diff "$T/native.out" "$T/out" | head -5; return 1; }
  echo >>"$T/count"
}

# one_warning VAR FALLBACK [FILE]: FILE ($T/err) holds exactly one whole warning for VAR,
# naming FALLBACK.  (With a working log path, warnings go to the log.)
one_warning() {
  local f=${3:-$T/err}
  local w; w=$(grep -c '^# libjoin:' "$f")
  [ "$w" = 1 ] || { echo "$w warnings:"; head -c 600 "$f"; return 1; }
  local line; line=$(grep '^# libjoin:' "$f")
  case $line in "# libjoin: $1="*"; using $2") ;; *) echo "unclear warning: $line"; return 1 ;; esac
  [ ${#line} -lt 400 ] || { echo "a warning of ${#line} bytes"; return 1; }
  LC_ALL=C grep -q $'[\x80-\xff]' <<<"$line" && { echo "raw bytes in the warning"; return 1; }
  return 0
}

records() { # WHERE N: N await records in file WHERE and nothing else there
  local got; got=$(grep -Ec "$AWAIT_RE" "$1" 2>/dev/null)
  [ "${got:-0}" = "$2" ] || { echo "${got:-0} records in $1, want $2"; return 1; }
}

bad_value() { # VAR KIND FALLBACK
  run "JOIN_$1=${V[$2]}" JOIN_LOG="$T/log" || return 1
  [ ! -s "$T/err" ] || { echo "stderr:"; head -c 300 "$T/err"; return 1; }
  one_warning "JOIN_$1" "$3" "$T/log" && records "$T/log" $KIDS
}

declare -A FALLBACK=([FORMAT]=await [STYLE]=plan9 [WATCH]="0 (off)" [ZOMBIE_MS]=1000 [REPORT]=on)
for var in FORMAT STYLE WATCH ZOMBIE_MS REPORT; do
  for kind in "${!V[@]}"; do
    check "config-$var-$kind" bad_value "$var" "$kind" "${FALLBACK[$var]}"
  done
done

# JOIN_LOG: empty and too long fall back to stderr (records there); the rest are paths
log_fallback() { # KIND
  run "JOIN_LOG=${V[$1]}" || return 1
  one_warning JOIN_LOG stderr || return 1
  grep -v '^# libjoin:' "$T/err" >"$T/err.records"; records "$T/err.records" $KIDS
}
check config-LOG-empty log_fallback empty
check config-LOG-huge log_fallback huge
log_path() { # VALUE FILE: no warning; the records in FILE (relative to the program's cwd)
  rm -f "$T/cwd/$2"
  run "JOIN_LOG=$1" || return 1
  [ ! -s "$T/err" ] || { echo "stderr:"; head -3 "$T/err"; return 1; }
  records "$T/cwd/$2" $KIDS
}
for kind in word negative overflow nonutf8 padded exponent; do
  check "config-LOG-$kind-is-a-path" log_path "${V[$kind]}" "${V[$kind]}"
done
pct_path() {
  run "JOIN_LOG=$T/cwd/x.%p.%p.%p.%%p" || return 1
  local f; f=$(ls "$T/cwd" | grep '^x\.[0-9]*\.[0-9]*\.[0-9]*\.%p$')
  [ -n "$f" ] || { echo "no x.PID.PID.PID.%p file: $(ls "$T/cwd")"; return 1; }
  [ ! -s "$T/err" ] && records "$T/cwd/$f" $KIDS
}
check config-LOG-pct-repeated pct_path
pct_long() { # expands past PATH_MAX: records lost, one warning, the program unharmed
  run "JOIN_LOG=$T/$(printf '%%p%.0s' $(seq 1000))" || return 1
  local w; w=$(grep -c '^# libjoin: JOIN_LOG=' "$T/err")
  [ "$w" = 1 ] && [ "$(grep -vc '^# libjoin' "$T/err")" = 0 ] || { echo "stderr:"; head -c 300 "$T/err"; return 1; }
}
check config-LOG-pct-too-long pct_long
fd_bad() { # VALUE
  run "JOIN_LOG=$1" || return 1
  one_warning JOIN_LOG stderr
}
for v in fd: fd:abc fd:-1 fd:99999999999999999999 "fd: 2" fd:0x1; do
  check "config-LOG-$v" fd_bad "$v"
done

# all at once: one whole warning each
all_bad() {
  run JOIN_LOG= JOIN_FORMAT="$big" JOIN_STYLE=$'\xff' JOIN_WATCH=-1 JOIN_ZOMBIE_MS=99999999999999999999 \
    JOIN_REPORT=maybe || return 1
  local w; w=$(grep -c '^# libjoin: JOIN_' "$T/err")
  [ "$w" = 6 ] || { echo "$w warnings for 6 bad variables"; grep '^#' "$T/err"; return 1; }
  grep -v '^# libjoin:' "$T/err" >"$T/err.records"; records "$T/err.records" $KIDS
}
check config-all-bad all_bad
echo "# config: $(wc -l <"$T/count") configurations run, each compared with the native run"

# Secure execution: the loader preloads only a setuid library from a system directory,
# given by name.  With the library mapped (the program says so), bad values and a log
# path: no warning, no record anywhere, no file made.
SYSLIB=/usr/lib/x86_64-linux-gnu/libjoin-reltest-$$.so
trap 'rm -rf "$T" "$SYSLIB"' EXIT
secure() { # HOW: setuid | filecap
  local prog=$T/sec-$1
  cp "$NATIVE/rel_secure" "$prog" && chmod 755 "$T" && mkdir -p -m 1777 "$T/w" || return 1
  if [ "$1" = setuid ]; then
    chown nobody "$prog" && chmod 4755 "$prog" || return 1
    run_as=()
  else
    setcap cap_kill+ep "$prog" || return 1
    run_as=(python3 -c 'import os, sys; os.setgroups([]); os.setgid(65534); os.setuid(65534); os.execvp(sys.argv[1], sys.argv[1:])')
  fi
  cp "$LIB" "$SYSLIB" && chmod 4755 "$SYSLIB" || return 1
  local env=(JOIN_LOG="$T/w/secure.log" JOIN_FORMAT=bogus JOIN_ZOMBIE_MS=-1 JOIN_WATCH=maybe JOIN_STYLE=)
  # (a dropping wrapper runs without the library, which would warn into the log itself)
  local lib; lib=$(basename "$SYSLIB")
  env "${env[@]}" "${run_as[@]}" env LD_PRELOAD="$lib" "$prog" >"$T/s.out" 2>"$T/s.err"
  local rc=$?
  env JOIN_LOG=fd:1 "${run_as[@]}" env LD_PRELOAD="$lib" "$prog" >"$T/s1.out" 2>&1
  rm -f "$SYSLIB"
  [ $rc = 0 ] || { echo "status $rc"; cat "$T/s.out" "$T/s.err"; return 1; }
  grep -q '^secure 1$' "$T/s.out" || { echo "not a secure-execution process:"; cat "$T/s.out"; return 1; }
  grep -q '^libjoin mapped$' "$T/s.out" || { echo "the loader did not preload the library"; return 1; }
  [ ! -e "$T/w/secure.log" ] || { echo "JOIN_LOG was opened"; return 1; }
  [ ! -s "$T/s.err" ] || { echo "stderr:"; cat "$T/s.err"; return 1; }
  [ "$(grep -Ec "$AWAIT_RE" "$T/s1.out")" = 0 ] || { echo "records on fd:1"; return 1; }
  echo >>"$T/count"
}
if [ "$(id -u)" != 0 ]; then
  echo "ok config-secure # SKIP not root: cannot make a setuid copy"
else
  check config-secure-setuid secure setuid
  if command -v setcap >/dev/null; then
    check config-secure-filecap secure filecap
  else
    echo "ok config-secure-filecap # SKIP no setcap"
  fi
fi
