#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The collector (docs/DESIGN.md): under joinrun and with a bare JOIN_WATCH=1 the program
# holds no thread and no descriptor of ours and has no child it did not make; zombies
# are seen across exec; a killed collector loses nothing; a ring that is not ours, or
# that holds garbage, costs nothing; the collector does not hold the program's output
# open; Python >= 3.12 does not warn at fork.
. "$(dirname "$0")/lib.sh"
R=$B/joinrun
F=$PROGS/plain_forks
PY=/usr/bin/python3
jqt() { grep -v '^#' "$1" | jq -se "$2" >/dev/null; }
cat >$T/seen.py <<'PY'
import os, sys, time
def count(d): return len(os.listdir(d))
out = []
for code in (0, 3):
    p = os.fork()
    if p == 0: os._exit(code)
    time.sleep(0.05)
    out.append((count("/proc/self/task"), sorted(os.listdir("/proc/self/fd"))))
    os.waitpid(p, 0)
try: os.wait(); out.append("child")
except ChildProcessError: out.append("lone")
print(out, [k for k in os.environ if k.startswith("JOIN_R")])
PY
native=$($PY $T/seen.py)
for how in joinrun watch bare; do
  case $how in
  joinrun) got=$($R -o $T/s1.log -- $PY $T/seen.py) ;;
  watch) got=$($R --watch -o $T/s2.log -- $PY $T/seen.py) ;;
  bare) got=$(JOIN_WATCH=1 JOIN_LOG=$T/s3.log LD_PRELOAD=$LIB $PY $T/seen.py) ;;
  esac
  # the one difference: JOIN_RING in the environment
  check seen-as-native-$how test "$got" = "${native% \[\]} ['JOIN_RING']"
done

# A zombie whose parent exec'd another program, and the exit report's absence there.
JOIN_ZOMBIE_MS=300 $R --watch -f jsonl -o $T/x.log -- sh -c '( sleep 0.1; exit 3 ) & exec sleep 1'
check zombie-across-exec jqt $T/x.log \
  'map(select(.event == "zombie" and .age_ms >= 300 and .child_comm == "sh")) | length == 1'
check exit-across-exec jqt $T/x.log 'map(select(.event == "exit" and .code == 3 and .exact)) | length == 1'

# Exact exits from the children's own word, in the await stream too.
$R --watch -o $T/a.log -- $F 5 200 $T/done.a
check await-exact-real test "$(grep -Ec '^[0-9]+ [0-9]+ [0-9]+ [0-9]{1,2} ' $T/a.log)" = 5
$R -o $T/b.log -- $F 5 200 $T/done.b
check await-reap-real test "$(grep -Ec '^[0-9]+ [0-9]+ [0-9]+ [0-9]{3} ' $T/b.log)" = 5

# kill -9 of the collector: the program runs on and every record reaches the log.  Its
# ring goes with the last process that holds it (a System V segment), or, a file (in a
# runtime directory of the test's own), is left for the next joinrun to remove.
mkdir -m 700 $T/xdg
XDG_RUNTIME_DIR=$T/xdg $R -f jsonl -o $T/k.log -- \
  sh -c 'echo "$JOIN_RING" >"$1"; shift; exec "$@"' sh $T/ring.k $F 200 2 $T/done.k &
jr=$!
sleep 0.3
kill -9 $jr
for i in $(seq 100); do [ -f $T/done.k ] && break; sleep 0.1; done
sleep 0.5
check killed-program-finishes test -f $T/done.k
check killed-nothing-lost test "$(grep -c '"event":"reap"' $T/k.log)" = 200
check killed-no-duplicate jqt $T/k.log '[.[] | select(.event == "reap") | .child] | length == (unique | length)'
case $(cat $T/ring.k) in
sysv:*) check killed-ring-gone sh -c '! ipcs -m -i "${1#sysv:}" 2>/dev/null | grep -q shmid=' sh "$(cat $T/ring.k)" ;;
*) check killed-ring-left test -n "$(ls $T/xdg)" ;;
esac
XDG_RUNTIME_DIR=$T/xdg $R -o $T/k2.log -- true
check killed-ring-removed test -z "$(ls $T/xdg)"

# A JOIN_RING that is not a ring of ours: a symbolic link, a file others may write, a
# file of another size: refused, and the records are written by the process itself.
dd if=/dev/zero of=$T/ring bs=1M count=2 status=none
chmod 644 $T/ring
ln -s $T/ring $T/ringlink
for ring in $T/ring $T/ringlink /nonexistent/ring; do
  rm -f $T/r.log
  JOIN_RING=$ring JOIN_LOG=$T/r.log LD_PRELOAD=$LIB sh -c 'sh -c "exit 5"'
  check foreign-ring-$(basename $ring) grep -Eq "^[0-9]+ [0-9]+ [0-9]+ [0-9]+ 'sh [0-9]+: 5'$" $T/r.log
done
check foreign-ring-untouched test "$(tr -d '\0' <$T/ring | wc -c)" = 0

# Garbage in the ring from a hostile process of the tree: counted, skipped; the records
# of the others all arrive.
cat >$T/hostile.py <<'PY'
import mmap, os, random
f = open(os.environ["JOIN_RING"], "r+b")
m = mmap.mmap(f.fileno(), 0)
random.seed(7)
hs = 4096
for i in range(3000):  # slots of this lap and the next few, published with garbage
    off = hs + random.randrange(0, 4096) * 256
    m[off:off + 256] = random.randbytes(256)
PY
$R -o $T/g.log -- sh -c "$PY $T/hostile.py; for i in 1 2 3 4 5 6 7 8 9 10; do sh -c 'exit 6'; done" 2>$T/g.err
check hostile-records-arrive test "$(grep -Ec "'sh [0-9]+: 6'$" $T/g.log)" = 10

# A bare root's records are in the log when it exits, also when it exec'd another
# program first (the ring's name carries the root's pid).
JOIN_WATCH=1 JOIN_LOG=$T/ex.log LD_PRELOAD=$LIB sh -c 'for i in 1 2 3 4 5; do sh -c "exit 1"; done; exec true'
check bare-root-exec-waits test "$(grep -Ec "$AWAIT_RE" $T/ex.log)" = 5

# The collector of a bare root does not hold the program's output open: a reader of it
# sees EOF when the program exits.
start=$(date +%s%N)
out=$(JOIN_WATCH=1 JOIN_LOG=$T/eof.log LD_PRELOAD=$LIB sh -c 'sh -c "exit 0"; echo out' | cat)
ms=$((($(date +%s%N) - start) / 1000000))
check eof-at-exit test "$out" = out -a "$ms" -lt 3000
out=$(JOIN_WATCH=1 LD_PRELOAD=$LIB sh -c 'sh -c "exit 0"; echo out' 2>&1 | cat)
check eof-log-on-stderr grep -q '^[0-9]* [0-9]* [0-9]* [0-9]* ' <<<"$out"

# A sandbox that denies pidfd_open: a bare root cannot watch its tree.  One warning
# says so, once for the whole tree, and no record is lost; close_range denied costs
# nothing (the collector closes descriptors one by one).
D=$PROGS/plain_deny
$D pidfd_open env JOIN_WATCH=1 JOIN_LOG=$T/deny.log LD_PRELOAD=$LIB sh -c 'sh -c "exit 3"; sh -c "exit 4"; true' >$T/deny.out 2>&1
check deny-pidfd-runs test ! -s $T/deny.out
check deny-pidfd-records test "$(grep -Ec "$AWAIT_RE" $T/deny.log)" = 2
check deny-pidfd-one-warning test "$(grep -c '^# libjoin: JOIN_WATCH=1: no collector for this tree (Function not implemented)' $T/deny.log)" = 1
$D pidfd_open env JOIN_FORMAT=jsonl JOIN_WATCH=1 JOIN_LOG=$T/deny.jsonl LD_PRELOAD=$LIB sh -c 'sh -c "exit 3"; true'
check deny-pidfd-jsonl jqt $T/deny.jsonl '[.[] | select(.event == "warning" and .variable == "JOIN_WATCH")] | length == 1'
$D close_range env JOIN_WATCH=1 JOIN_LOG=$T/deny2.log LD_PRELOAD=$LIB sh -c 'sh -c "exit 3"; sh -c "exit 4"; true'
check deny-close-range-watched sh -c '! grep -q "^#" "$1" && test "$(grep -Ec "$2" "$1")" = 2' sh $T/deny2.log "$AWAIT_RE"

# epoll denied: the collector polls (joinrun and a bare root), says so once, loses
# nothing and still ends with its command.
timeout 30 $D epoll_create1 $R -o $T/ep.log -- sh -c 'sh -c "exit 3"; sh -c "exit 4"; true'
check deny-epoll-joinrun-ends test $? = 0
check deny-epoll-joinrun-records test "$(grep -Ec "$AWAIT_RE" $T/ep.log)" = 2
check deny-epoll-joinrun-one-warning test "$(grep -c '^# libjoin: collector: no epoll' $T/ep.log)" = 1
timeout 30 $D epoll_create1 env JOIN_WATCH=1 JOIN_LOG=$T/ep2.log LD_PRELOAD=$LIB sh -c 'sh -c "exit 3"; sh -c "exit 4"; true'
check deny-epoll-bare-ends test $? = 0
check deny-epoll-bare-records test "$(grep -Ec "$AWAIT_RE" $T/ep2.log)" = 2

# Python >= 3.12 warns at a fork in a multithreaded process: never under us.
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for py in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 /usr/bin/python3.1[2-9] 2>/dev/null); do
  v=$(basename "$(dirname "$(dirname "$py")")")
  for how in watch bare; do
    rm -f $T/py.log
    cmd=(env JOIN_WATCH=1 JOIN_LOG=$T/py.log LD_PRELOAD=$LIB)
    [ $how = watch ] && cmd=($R --watch -o $T/py.log --)
    err=$("${cmd[@]}" "$py" -W always -c 'import os, time
for i in range(3):
    p = os.fork()
    if p == 0: os._exit(0)
    time.sleep(0.05)
    os.waitpid(p, 0)' 2>&1)
    check python-$v-no-warning-$how test -z "$err"
  done
done
