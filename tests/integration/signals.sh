#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Signals around waiting (tests/progs/rel_signals.c): EINTR from blocking waits
# without SA_RESTART, SIGCHLD ignored or SA_NOCLDWAIT after children exist (or from
# the start), SIGCHLD blocked, signal() from inside handlers.  In each case the
# program prints the same lines native, linked with -ljoin and preloaded; the log
# holds one record per reaped child (nothing twice, nothing lost) and no warning;
# the fault build's counters show the table empty at exit.
# REL_SAN=name: a sanitizer build; native against linked only.
. "$(dirname "$0")/lib.sh"
NATIVE=$B/tests/native
FAULT=${REL_FAULT_LIB:-$B/fault/libjoin.so}
SAN=${REL_SAN:-}

# RUNNER CASE: runs the case; writes $T/CASE.RUNNER.{out,log,err}
run() {
  local how=$1 c=$2 pre=()
  local o=$T/$c.$how
  rm -f "$o.log"
  case $c in inherit) pre=(env) ;; esac
  case $how in
    native) "${pre[@]}" "$NATIVE/rel_signals" "$c" ;;
    linked) "${pre[@]}" env JOIN_LOG="$o.log" "$PROGS/rel_signals" "$c" ;;
    preloaded) "${pre[@]}" env JOIN_LOG="$o.log" LD_PRELOAD="$LIB" "$NATIVE/rel_signals" "$c" ;;
    fault) "${pre[@]}" env JOIN_LOG="$o.log" JOIN_FAULT_STATS="$o.stats" LD_PRELOAD="$FAULT" \
             "$NATIVE/rel_signals" "$c" ;;
  esac >"$o.out" 2>"$o.err"
}

# A case holds when every runner prints what the native run prints, and the log has
# exactly one await record per "reaped" line and nothing else.
case_holds() {
  local c=$1 how
  if [ "$c" = inherit ]; then trap '' CHLD; fi  # ignored SIGCHLD is inherited across exec
  run native "$c" || { echo "native run failed"; cat "$T/$c.native.err"; return 1; }
  local hows="linked"; [ -n "$SAN" ] || hows="linked preloaded fault"
  for how in $hows; do
    run $how "$c" || { echo "$how run failed"; cat "$T/$c.$how.err"; return 1; }
    diff "$T/$c.native.out" "$T/$c.$how.out" >"$T/d" || { echo "$how differs from native:"; cat "$T/d"; return 1; }
    [ ! -s "$T/$c.$how.err" ] || { echo "$how stderr:"; cat "$T/$c.$how.err"; return 1; }
    local want got other
    want=$(grep -c 'reaped' "$T/$c.native.out")
    got=$(grep -Ec "$AWAIT_RE" "$T/$c.$how.log" 2>/dev/null)
    other=$(grep -Evc "$AWAIT_RE" "$T/$c.$how.log" 2>/dev/null)
    [ "${got:-0}" = "$want" ] || { echo "$how: ${got:-0} records for $want reaps"; cat "$T/$c.$how.log"; return 1; }
    [ "${other:-0}" = 0 ] || { echo "$how: other lines in the log:"; grep -Ev "$AWAIT_RE" "$T/$c.$how.log"; return 1; }
  done
  if [ -z "$SAN" ]; then
    local pid tracked reaped untracked oom expired live mapped
    read -r pid tracked reaped untracked oom expired live mapped < <(tail -1 "$T/$c.fault.stats")
    [ "$live" = 0 ] || { echo "table not empty at exit: $live entries ($(cat "$T/$c.fault.stats"))"; return 1; }
    [ "$untracked" = 0 ] || { echo "$untracked reaps untracked"; return 1; }
    echo "tracked $tracked reaped $reaped expired $expired live $live" >"$T/$c.counts"
  fi
}

for c in eintr chld-eintr ignore zombies nocldwait blocked rearm inherit; do
  check "signals-$c" case_holds "$c"
  if [ -f "$T/$c.counts" ]; then echo "# $c: $(cat "$T/$c.counts")"; fi
done

# libjoin's own calls: join_await gives EINTR and loses nothing; join_proc_join resumes.
api_eintr() {
  rm -f "$T/api.log"
  JOIN_LOG=$T/api.log "$PROGS/rel_await" >"$T/api.out" 2>&1 || { cat "$T/api.out"; return 1; }
  local got; got=$(grep -Ec "$AWAIT_RE" "$T/api.log")
  [ "$got" = 2 ] || { echo "$got records for 2 children"; cat "$T/api.log"; return 1; }
}
check signals-api-eintr api_eintr
