#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every process accounted (docs/DESIGN.md, "Accounting"): joinrun, the tree's child
# subreaper, reaps and records orphans with the parent they lost; --wait-all waits for
# stragglers, the default lists them and keeps CMD's status; a program that is itself a
# subreaper keeps its orphans; own CPU beside inclusive, in microseconds; the processes
# libjoin cannot follow into are marked opaque, with the reason.
. "$(dirname "$0")/lib.sh"
R=$B/joinrun
jqt() { grep -v '^#' "$1" | jq -se "$2" >/dev/null; }

# An orphan that ends while the root runs: reaped by joinrun, its parent named.
$R -f jsonl -o $T/o.log -- sh -c 'sh -c "(sleep 0.2; exit 6) &"; sleep 0.5'
check orphan-recorded jqt $T/o.log '[.[] | select(.event == "reap" and .code == 6)] |
  length == 1 and .[0].orphan == true and (.[0].parent | type) == "number" and
  .[0].orphaned_ns > 0 and .[0].call == "wait4" and .[0].user_us != null'
check orphan-parent-is-the-inner-sh jqt $T/o.log '([.[] | select(.event == "reap" and
  .code == 6)][0].parent) as $p | any(.[]; .event == "fork" and .child == $p)'
check others-not-orphans jqt $T/o.log '[.[] | select(.event == "reap" and .code != 6)] |
  all(.orphan == false and .parent == null)'
$R --summary -- sh -c 'sh -c "(sleep 0.2; exit 6) &"; sleep 0.5' 2>$T/o.sum
check summary-counts-orphans grep -q '1 orphan reaped' $T/o.sum

# Stragglers: not waited for by default (CMD's status kept, the straggler named);
# waited for with --wait-all.
s=$(date +%s%N)
$R -- sh -c 'sleep 2 & exit 3' 2>$T/s.err; rc=$?
el=$((($(date +%s%N) - s) / 1000000))
check straggler-status-kept test $rc = 3
check straggler-not-waited test $el -lt 1500
check straggler-listed grep -q 'still running.*sleep' $T/s.err
s=$(date +%s%N)
$R --wait-all -f jsonl -o $T/w.log -- sh -c '(sleep 0.3; exit 6) & exit 2'; rc=$?
el=$((($(date +%s%N) - s) / 1000000))
check wait-all-status-kept test $rc = 2
check wait-all-waits test $el -ge 280
check wait-all-records jqt $T/w.log 'any(.[]; .event == "reap" and .code == 6 and .orphan)'

# A program that is itself a subreaper sees exactly what it sees natively.
native=$($PROGS/plain_subreaper)
got=$($R -f jsonl -o $T/sr.log -- $PROGS/plain_subreaper)
check subreaper-transparent test "$got" = "$native"
check subreaper-sees-its-orphan test "$(echo "$native" | grep -c orphan)" = 1
check subreaper-keeps-orphans jqt $T/sr.log 'all(.[]; .event != "reap" or .orphan == false)'

# Own and inclusive CPU: a parent that reaps a busy child owns only its own time.
cat >$T/burn.py <<'PY'
import subprocess, sys, time
def burn(s):
    t = time.process_time()
    while time.process_time() - t < s: pass
if len(sys.argv) > 1: burn(0.15)
else:
    subprocess.run([sys.executable, __file__, "child"])
    burn(0.1)
PY
$R -f jsonl -o $T/cpu.log -- /usr/bin/python3 $T/burn.py
check own-beside-inclusive jqt $T/cpu.log '[.[] | select(.event == "reap")] |
  all(.user_us >= .self_user_us and .sys_us >= .self_sys_us) and
  (max_by(.user_us + .sys_us) | (.user_us + .sys_us) - (.self_user_us + .self_sys_us)
    >= 140000 and (.self_user_us + .self_sys_us) >= 90000)'
check microseconds jqt $T/cpu.log '[.[] | select(.event == "reap")] | all(
  (.user_us | type) == "number" and (.real_ns | type) == "number" and
  (.user_ms - .user_us / 1000 | fabs) <= 1)'

# Blind spots: a static binary, a child whose environment drops libjoin.
if cc -static -O1 -o $T/static_fork -x c - 2>/dev/null <<'C'; then
#include <sys/wait.h>
#include <unistd.h>
int main(void) { pid_t p = fork(); if (p == 0) _exit(5); int s; waitpid(p, &s, 0); return 0; }
C
  $R -f jsonl -o $T/st.log -- sh -c "$T/static_fork; true"
  check opaque-static jqt $T/st.log '[.[] | select(.event == "reap" and .opaque == "static")]
    | length == 1 and .[0].child_comm == "static_fork" and .[0].self_user_us == null'
  $R --summary -- sh -c "$T/static_fork; true" 2>$T/st.sum
  check summary-says-static grep -q '1 process could not be followed (static: 1)' $T/st.sum
else
  echo "ok opaque-static # SKIP no static libc"
fi
$R -f jsonl -o $T/np.log -- sh -c 'env -u LD_PRELOAD sh -c "sleep 0.01"; true'
check opaque-no-preload jqt $T/np.log \
  'any(.[]; .event == "reap" and .opaque == "no-preload")'
check followed-not-opaque jqt $T/o.log 'all(.[]; .event != "reap" or .opaque == null)'
