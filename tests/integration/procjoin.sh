#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# WASIX proc_join (docs/DESIGN.md): the C checks of tests/progs/procjoin.c (linked with
# -ljoin), the log seen once per joined child (await and JSONL), the same rules
# from Python with ctypes under LD_PRELOAD, and the two pool examples.
. "$(dirname "$0")/lib.sh"
PJ=$PROGS/procjoin
if [ ! -x "$PJ" ]; then echo "not ok procjoin-built # $PJ missing"; exit 1; fi

# The C program prints its own ok / not ok lines.
out=$(JOIN_LOG=off timeout 90 "$PJ" 2>&1); rc=$?
echo "$out"
if [ $rc != 0 ] && ! echo "$out" | grep -q '^not ok'; then echo "not ok procjoin-c-exit # rc $rc"; fi
# Again with a log file, in JSONL: the records must not change what the program sees.
out=$(JOIN_LOG=$T/all.jsonl JOIN_FORMAT=jsonl timeout 90 "$PJ" 2>&1)
check procjoin-c-under-jsonl-log test $? = 0 -a -s "$T/all.jsonl"

# One record per joined child: run the log mode, then count.
log_ok() { # FORMAT: checks $T/log.$1 against $T/out.$1
  local f=$T/log.$1 o=$T/out.$1 pids p n
  pids=$(awk '$1 == "joined" || $1 == "waited" { print $2 }' "$o")
  [ "$(echo "$pids" | wc -l)" = 5 ] || { echo "children: $pids"; return 1; }
  grep -q '^last 12$' "$o" || { echo "no ECHILD after the last"; return 1; }
  for p in $pids; do
    if [ "$1" = await ]; then n=$(grep -c "^$p " "$f")
    else n=$(jq -c "select(.event == \"reap\" and .child == $p)" "$f" | wc -l); fi
    [ "$n" = 1 ] || { echo "pid $p: $n records"; cat "$f"; return 1; }
  done
  if [ "$1" = await ]; then
    [ "$(grep -cE "$AWAIT_RE" "$f")" = 5 ] && [ "$(wc -l <"$f")" = 5 ] || { cat "$f"; return 1; }
  else
    local joined waited
    joined=$(awk '$1 == "joined" { print $2 }' "$o" | sort -n | tr '\n' ' ')
    waited=$(awk '$1 == "waited" { print $2 }' "$o")
    [ "$(jq -r 'select(.event == "reap" and .call == "proc_join") | .child' "$f" | sort -n |
      tr '\n' ' ')" = "$joined" ] || { cat "$f"; return 1; }
    [ "$(jq -r "select(.event == \"reap\" and .child == $waited) | .call" "$f")" = waitpid ] ||
      { cat "$f"; return 1; }
  fi
}
for fmt in await jsonl; do
  JOIN_LOG=$T/log.$fmt JOIN_FORMAT=$fmt timeout 60 "$PJ" log >"$T/out.$fmt" 2>&1
  check "procjoin-one-record-per-child-$fmt" log_ok $fmt
done

# The same rules from Python, with ctypes, under LD_PRELOAD.  The interpreter itself,
# not a wrapper script (pyenv's shims are bash scripts, whose children log too).
PY=$(python3 -c 'import sys; print(sys.executable)')
cat >"$T/pj.py" <<'PY'
import ctypes, errno, os, signal, sys, time
sys.path.insert(0, os.environ["EXAMPLES"])
from pool import OptionPid, JoinStatus, JoinTimes, NON_BLOCKING, WAKE_STOPPED
lib = ctypes.CDLL(None)
pj = lib.join_proc_join
pj.argtypes = [ctypes.POINTER(OptionPid), ctypes.c_uint32, ctypes.POINTER(JoinStatus)]
pj.restype = ctypes.c_uint16
pjt = lib.join_proc_join_timed
pjt.argtypes = pj.argtypes + [ctypes.POINTER(JoinTimes)]
pjt.restype = ctypes.c_uint16
fails = 0
reaped = []  # every child reaped, by a join or by os.waitpid: one log record each

def check(name, cond):
    global fails
    print(("ok " if cond else "not ok ") + "py-" + name, flush=True)
    fails += not cond

def join(pid=None, flags=0):
    o = OptionPid(0, 0) if pid is None else OptionPid(1, pid)
    st = JoinStatus()
    ctypes.memset(ctypes.byref(st), 0xEE, 6)
    e = pj(ctypes.byref(o), flags, ctypes.byref(st))
    if e == 0 and st.tag in (1, 2):
        reaped.append(o.pid)
    return e, (o.tag, o.pid), bytes(st)

def status(tag, a=0, b=0):  # the 6 bytes of a JoinStatus, by hand at the documented offsets
    return bytes([tag, 0]) + (a.to_bytes(2, "little") + bytes([b, 0]) if tag != 3 else bytes([a, 0, 0, 0]))

def quiet():  # a child closes every inherited pipe end (other children's too)
    os.closerange(3, 4096)

def kid(code=0, sig=0, ms=0):
    p = os.fork()
    if p == 0:
        quiet()
        time.sleep(ms / 1000)
        if sig:
            os.kill(os.getpid(), sig)
        os._exit(code)
    return p

def hold(code=0):
    r, w = os.pipe()
    p = os.fork()
    if p == 0:
        os.dup2(r, 0)
        quiet()
        os.read(0, 1)
        os._exit(code)
    os.close(r)
    return p, w

def state(p):
    try:
        return open("/proc/%d/stat" % p).read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""

def until(p, want):
    for _ in range(5000):
        if state(p) in want:
            return True
        time.sleep(0.001)
    return False

check("layout", ctypes.sizeof(OptionPid) == 8 and ctypes.alignment(OptionPid) == 4
      and OptionPid.pid.offset == 4 and ctypes.sizeof(JoinStatus) == 6
      and ctypes.alignment(JoinStatus) == 2 and JoinStatus.u.offset == 2)
check("no-children", join() == (12, (0, 0), status(0))
      and join(flags=NON_BLOCKING)[0] == 12)
# NULL pointers and bad tags: INVAL, nothing written.
st = JoinStatus(); ctypes.memset(ctypes.byref(st), 0xEE, 6)
o = OptionPid(0, 0)
ok = pj(None, 0, ctypes.byref(st)) == 28 and bytes(st) == b"\xee" * 6
ok = ok and pj(ctypes.byref(o), 0, None) == 28
for tag in (2, 3, 0x80, 0xFF):
    o = OptionPid(tag, 0xEEEEEEEE)
    ok = ok and pj(ctypes.byref(o), 0, ctypes.byref(st)) == 28
    ok = ok and (o.tag, o.pid) == (tag, 0xEEEEEEEE) and bytes(st) == b"\xee" * 6
check("inval-writes-nothing", ok)
check("not-our-child", all(join(p)[:2] == (12, (0, 0)) for p in (1, os.getpid(), 0, 0xFFFFFFFF)))
# A child blocked on a pipe we hold: nonblocking joins report Nothing, Some(0).
p, w = hold(7)
a = join(flags=NON_BLOCKING); b = join(p, NON_BLOCKING)
check("nonblocking-live-child", a == (0, (1, 0), status(0)) and b == (0, (1, 0), status(0))
      and state(p) not in ("Z", ""))
os.write(w, b"x"); os.close(w)
check("some-pid", join(p) == (0, (1, p), status(1, 7)))
ok = True
for code in (0, 1, 255):
    p = kid(code)
    ok = ok and join() == (0, (1, p), status(1, code))
check("exit-codes", ok)
ok = True
for sig in (signal.SIGTERM, signal.SIGKILL, signal.SIGSEGV, signal.SIGUSR1):
    p = kid(sig=sig)
    ok = ok and join(p) == (0, (1, p), status(2, 0, sig))
check("signals", ok)
# Stopped: reported once with WAKE_STOPPED, not reaped; never without it.
p, w = hold(3)
os.kill(p, signal.SIGSTOP)
ok = until(p, "T")
ok = ok and join(p, NON_BLOCKING) == (0, (1, 0), status(0))
ok = ok and join(p, WAKE_STOPPED) == (0, (1, p), status(3, signal.SIGSTOP))
ok = ok and state(p) == "T" and join(None, WAKE_STOPPED | NON_BLOCKING) == (0, (1, 0), status(0))
os.kill(p, signal.SIGCONT)
ok = ok and until(p, "SR") and join(p, WAKE_STOPPED | NON_BLOCKING) == (0, (1, 0), status(0))
os.write(w, b"x"); os.close(w)
ok = ok and join(p, WAKE_STOPPED) == (0, (1, p), status(1, 3))
check("stopped-continued", ok)
# A blocking join under a rain of signals (Python's handlers interrupt system calls).
ticks = []
signal.signal(signal.SIGALRM, lambda *_: ticks.append(1))
signal.setitimer(signal.ITIMER_REAL, 0.02, 0.02)
p = kid(9, ms=300)
r = join()
signal.setitimer(signal.ITIMER_REAL, 0, 0)
check("eintr-resumes", r == (0, (1, p), status(1, 9)) and len(ticks) >= 1)
# Many, none lost.
kids = {kid(i % 256, ms=(i * 7) % 30): i % 256 for i in range(50)}
seen = {}
for _ in range(50):
    e, (tag, q), s = join()
    seen[q] = s if e == 0 else None
check("many-none-lost", len(seen) == 50 and all(seen.get(q) == status(1, c) for q, c in kids.items())
      and join()[0] == 12)
# Mixed with the program's own waits, both ways.
p = kid(1); os.waitpid(p, 0); reaped.append(p)
ok = join(p)[0] == 12
p = kid(2)
ok = ok and join(p) == (0, (1, p), status(1, 2))
try:
    os.waitpid(p, 0); ok = False
except ChildProcessError:
    pass
check("mixed-with-waitpid", ok)
# Timing of a child that sleeps 200 ms.
p = kid(ms=200)
o, st, t = OptionPid(1, p), JoinStatus(), JoinTimes()
e = pjt(ctypes.byref(o), 0, ctypes.byref(st), ctypes.byref(t))
reaped.append(p)
check("timing", e == 0 and 195e6 <= t.real_ns < 3e9 and 0 < t.fork_ns <= t.exit_ns
      and t.real_ns == t.exit_ns - t.fork_ns and t.exact == 0)
open("py.pids", "w").write("".join("%d\n" % q for q in reaped))
open("py.self", "w").write("%d\n" % os.getpid())
sys.exit(fails != 0)
PY
out=$(cd "$T" && EXAMPLES=$ROOT/examples JOIN_LOG=$T/py.log JOIN_FORMAT=jsonl LD_PRELOAD=$LIB timeout 60 "$PY" pj.py 2>&1)
rc=$?
echo "$out"
if [ $rc != 0 ] && ! echo "$out" | grep -q '^not ok'; then echo "not ok py-exit # rc $rc"; fi
# Python reaps through the same table and log: one reap record per child it reaped,
# "call":"proc_join" for the joined ones.
py_log_ok() {
  local me reaps
  me=$(cat "$T/py.self") || return 1
  reaps=$(jq -r "select(.event == \"reap\" and .pid == $me) | \"\\(.child) \\(.call)\"" "$T/py.log")
  [ "$(echo "$reaps" | awk '{print $1}' | sort -n)" = "$(sort -n "$T/py.pids")" ] ||
    { echo "records: $(echo "$reaps" | wc -l), children: $(wc -l <"$T/py.pids")"; return 1; }
  [ "$(echo "$reaps" | grep -vc ' proc_join$')" = 1 ] || { echo "$reaps" | grep -v proc_join; return 1; }
}
check py-log-one-record-per-child py_log_ok

# The examples: every job joined once, the parent busy meanwhile.
pool_ok() { # OUTPUT-FILE TAG
  [ "$(grep -c "^$2: joined job" "$1")" = 8 ] &&
    [ "$(grep "^$2: joined job" "$1" | awk '{print $4}' | sort -u | wc -l)" = 8 ] &&
    grep -q "^$2: joined job 5 .*signal 15" "$1" && grep -q "^$2: joined job 3 .*exit 103" "$1" &&
    grep -qE "^$2: 8 jobs joined; [0-9]+ polls, [1-9][0-9]* slices" "$1" || { cat "$1"; return 1; }
}
if [ -x "$B/examples/pool" ]; then
  JOIN_LOG=off timeout 60 "$B/examples/pool" >"$T/pool.c.out" 2>&1
  check example-pool-c pool_ok "$T/pool.c.out" pool
else
  echo "not ok example-pool-c # $B/examples/pool missing"
fi
JOIN_LOG=off LD_PRELOAD=$LIB timeout 60 "$PY" "$ROOT/examples/pool.py" >"$T/pool.py.out" 2>&1
check example-pool-py pool_ok "$T/pool.py.out" pool.py
