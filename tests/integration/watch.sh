#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Watch mode (JOIN_WATCH=1): exact exit instants, live zombie events, the exit report,
# and a program that cannot tell it is watched.
#
# What "identical" means here: the pidfds and the log live in the tree's collector, a
# process of its own, so /proc/self/fd, /proc/self/task, the numbers the program gets,
# its exit statuses, output and signals are compared with a native run as they are,
# without filtering.  What a program can see: one more mapping and JOIN_RING.
. "$(dirname "$0")/lib.sh"
L=$PROGS/late
PY=/usr/bin/python3
W="env LD_PRELOAD=$LIB JOIN_WATCH=1" # a program not linked with the library
jsonl() { JOIN_FORMAT=jsonl JOIN_LOG=$1 "${@:2}"; }
# jqt FILE EXPR: jq -e over the log slurped as an array ($e), excluding '#' lines.
jqt() { grep -v '^#' "$1" | jq -se "$2" >/dev/null; }

# A child that exits at once and is reaped 1.5 s later.
JOIN_WATCH=1 JOIN_ZOMBIE_MS=500 jsonl $T/late.log $L late 1500
check watch-late-status test $? = 0
R='(map(select(.event == "reap" and .code == 9)) | .[0])'
check watch-reap-exact jqt $T/late.log "$R | .exact == true"
check watch-reap-real-small jqt $T/late.log "$R | .real_ms < 200"
check watch-reap-late-ms jqt $T/late.log "$R | .late_ms >= 1000 and .late_ms < 5000"
# The late child's events, in the order written: exit, zombie, reap.
C="($R | .child) as \$c | map(select(.child == \$c))"
check watch-event-order jqt $T/late.log "$C | map(.event) == [\"fork\", \"exit\", \"zombie\", \"reap\"]"
check watch-exit-event jqt $T/late.log \
  "$C | map(select(.event == \"exit\")) | .[0] | .code == 9 and .exact == true and .core == false"
check watch-zombie-event jqt $T/late.log \
  "$C | map(select(.event == \"zombie\")) | .[0] | .age_ms >= 500 and .child_comm == \"late\""
check watch-one-zombie-event jqt $T/late.log 'map(select(.event == "zombie")) | length == 1'

# Without watch mode: the exit time is the reap time, an upper bound.
jsonl $T/nowatch.log $L late 1500
check nowatch-inexact jqt $T/nowatch.log "$R | .exact == false and .late_ms == null and .real_ms >= 1000"
check nowatch-no-exit-events jqt $T/nowatch.log 'map(select(.event == "exit" or .event == "zombie")) | length == 0'

# The await stream: the zombie as a '#' line, the record's real time from the exact exit.
JOIN_WATCH=1 JOIN_ZOMBIE_MS=300 JOIN_LOG=$T/await.log $L late 800
check await-zombie-line grep -Eq '^# libjoin: zombie: child [0-9]+ late of [0-9]+ unreaped for [0-9]+ ms$' $T/await.log
# (user and sys are the kernel's tick-based accounting: a whole tick now and then, even natively)
check await-record-real grep -Eq "^[0-9]+ [0-9]+ [0-9]+ [0-9]{1,2} 'late [0-9]+: 9'\$" $T/await.log

# The exit report: a child never reaped, one still running.  The process knows its
# zombie's fork, not its exit: no age since an exit it does not know (the collector's
# exit event has it, under watch).
for w in 0 1; do
  rm -f $T/rep.log
  JOIN_WATCH=$w jsonl $T/rep.log $L leave 300
  check report-watch$w jqt $T/rep.log \
    'map(select(.event == "report")) | length == 1 and (.[0] |
       (.zombies | length == 1 and .[0].child_comm == "late" and .[0].fork_ns > 0 and
          .[0].exit_ns == null and .[0].age_ms == null) and
       (.running | length == 1 and .[0].child_comm == "late" and .[0].age_ms >= 250))'
done
JOIN_WATCH=1 JOIN_LOG=$T/rep.txt $L leave 100
check report-await-line grep -Eq '^# libjoin: report: pid [0-9]+: (zombie never reaped [0-9]+ \(late, exit time unknown\)|running [0-9]+ \(late, [0-9]+ ms\)); (zombie never reaped [0-9]+ \(late, exit time unknown\)|running [0-9]+ \(late, [0-9]+ ms\))$' $T/rep.txt
check report-watch-exit jqt $T/rep.log 'map(select(.event == "exit" and .exact)) | length >= 1'
JOIN_REPORT=off JOIN_LOG=$T/norep.txt $L leave 100
check report-off test ! -s $T/norep.txt

# Transparency: statuses, output and descriptors as in a native run.
cat >$T/fds.py <<'EOF'
import os, signal, time
def fds(): return sorted(int(x) for x in os.listdir('/proc/self/fd'))
print("start", fds())
ps = []
for code in (0, 3, 255):
    p = os.fork()
    if p == 0: os._exit(code)
    ps.append(p)
k = os.fork()
if k == 0:  # a forked child: its table, and a grandchild of its own
    g = os.fork()
    if g == 0: os._exit(7)
    print("child", fds(), os.waitstatus_to_exitcode(os.waitpid(g, 0)[1]), flush=True)
    os._exit(0)
ps.append(k)
s = os.fork()
if s == 0:
    time.sleep(5); os._exit(0)
time.sleep(0.3)  # exited children are zombies: the watcher holds their pidfds now
print("live", fds())
fd = os.open("/dev/null", os.O_RDONLY); print("next", fd); os.close(fd)
os.kill(s, signal.SIGTERM); ps.append(s)
print("statuses", [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in ps])
os.closerange(3, 1 << 16)  # as daemons do
print("closed", fds())
p = os.fork()
if p == 0: os._exit(5)
time.sleep(0.2)
print("after", os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]), fds())
raise SystemExit(3)
EOF
$PY $T/fds.py >$T/native.out 2>$T/native.err; echo "rc $?" >>$T/native.out
jsonl $T/fds.log $W $PY $T/fds.py >$T/watch.out 2>$T/watch.err; echo "rc $?" >>$T/watch.out
check transparent-fds-status-output cmp $T/native.out $T/watch.out
check transparent-stderr cmp $T/native.err $T/watch.err
check transparent-still-watching jqt $T/fds.log 'map(select(.event == "reap" and .code == 5)) | .[0].exact == true'
# With the log on stderr the log lines are the one difference (docs/DESIGN.md, "Configuration and JSONL events").
JOIN_FORMAT=jsonl $W $PY $T/fds.py >$T/watch2.out 2>$T/watch2.err; echo "rc $?" >>$T/watch2.out
check transparent-log-on-stderr cmp $T/native.out $T/watch2.out
check log-on-stderr-has-exits grep -q '"event":"exit"' $T/watch2.err

# The log descriptor of a tree with a collector is the one the tree started with: the
# collector writes to its copy of it, whatever the program later makes of its fd 2.
cat >$T/dup.py <<'EOF'
import os, sys, time
p = os.fork()
if p == 0: os._exit(0)
os.waitpid(p, 0)
f = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
os.dup2(f, 2); os.close(f)
p = os.fork()
if p == 0: os._exit(4)
time.sleep(0.4)
os.waitpid(p, 0)
EOF
JOIN_ZOMBIE_MS=100 JOIN_FORMAT=jsonl $W $PY $T/dup.py $T/moved.log 2>$T/orig.log
check fd-log-tree-start jqt $T/orig.log \
  '(map(select(.event == "exit" and .code == 4) | .child)) as $c |
   ($c | length == 1) and (map(select(.event == "zombie") | .child) == $c)'
# (the exit report is the process's own, written where its fd 2 is then)
check fd-log-moved-no-records jqt $T/moved.log 'map(select(.event != "report")) | length == 0'

# Few descriptors allowed: the program can open as many as natively; the watcher warns
# once and falls back to reap-time timing.  (Both runs end with a full table, so the
# reap records cannot be written: the engine's own warning on stderr, not compared.)
cat >$T/limit.py <<'EOF'
import os, time
ps = []
for i in range(20):
    p = os.fork()
    if p == 0: os._exit(0)
    ps.append(p)
time.sleep(0.3)
n = []
try:
    while True: n.append(os.open("/dev/null", os.O_RDONLY))
except OSError as e: print("opened", len(n), e.errno)
for p in ps: os.waitpid(p, 0)
EOF
(ulimit -n 16; $PY $T/limit.py) >$T/lim.native 2>/dev/null
(ulimit -n 16; JOIN_LOG=$T/lim.log $W $PY $T/limit.py) >$T/lim.watch 2>/dev/null
check limit-same-room cmp $T/lim.native $T/lim.watch
check limit-no-warning test "$(grep -c '^# libjoin' $T/lim.log)" = 0

# The pidfds are the collector's: none in any thread of the program, with 50 zombies
# or after.
check no-pidfds-in-program test "$(JOIN_WATCH=1 JOIN_LOG=/dev/null $L pidfds)" = "0 0"
# Signals sent to the process are handled by the program's thread, never ours.
check signals-main-thread test "$(JOIN_WATCH=1 JOIN_LOG=off $L signals)" = 0

# Many threads forking, a SIGCHLD handler reaping: every child recorded once, and every
# exact exit event's child reaped with the exact time.  (Children that exited before the
# opener reached them, later than 1 ms after their fork, have inexact exit events.)
JOIN_WATCH=1 jsonl $T/storm.log $L storm 50 4 >$T/storm.out
check storm-all-reaped test "$(cat $T/storm.out)" = 200
check storm-records jqt $T/storm.log \
  '(map(select(.event == "reap")) | length == 200 and (map(.child) | unique | length == 200)) and
   ([.[] | select(.event == "reap" and .exact) | .child] as $r |
    all(.[] | select(.event == "exit" and .exact); .child | IN($r[])))'
check storm-one-exit-each jqt $T/storm.log \
  '[.[] | select(.event == "exit") | .child] | length == (unique | length)'

# The main thread leaves by pthread_exit: glibc counts the watcher's threads, so they end
# the process themselves (within a second), with status 0 as natively.
timeout -s KILL 10 env JOIN_WATCH=1 JOIN_LOG=off $L pexit
check pthread-exit-ends test $? = 0
# Then the exit handlers run on the watcher's thread: a child forked there must run as
# natively (its stack is not wiped at that fork).
$L pexitfork $T/pexit.native
timeout -s KILL 10 env JOIN_WATCH=1 JOIN_LOG=off $L pexitfork $T/pexit.watch
check pthread-exit-atexit-fork test "$(cat $T/pexit.watch)" = "$(cat $T/pexit.native)" -a \
  "$(cat $T/pexit.native)" = $((7 << 8))

# A program that never forks starts no thread.
check no-fork-no-thread test "$($W $PY -c 'import os; print(len(os.listdir("/proc/self/task")))')" = 1
