#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pool.py - examples/pool.c from Python: a pool of workers joined with WASIX
proc_join (nonblocking, any child) while the parent keeps working.  Python knows
nothing of libjoin; the calls come from the preloaded library:

    LD_PRELOAD=build/libjoin.so JOIN_LOG=off python3 examples/pool.py
"""
import ctypes
import os
import signal
import sys
import time

POOL, JOBS = 3, 8

# The layouts of include/join.h (WASIX's): ctypes aligns them as C does.
class OptionPid(ctypes.Structure):
    _fields_ = [("tag", ctypes.c_uint8), ("pid", ctypes.c_uint32)]

class _ExitNormal(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16)]

class _ExitSignal(ctypes.Structure):
    _fields_ = [("code", ctypes.c_uint16), ("signal", ctypes.c_uint8)]

class _Stopped(ctypes.Structure):
    _fields_ = [("signal", ctypes.c_uint8)]

class _Payload(ctypes.Union):
    _fields_ = [("exit_normal", _ExitNormal), ("exit_signal", _ExitSignal),
                ("stopped", _Stopped)]

class JoinStatus(ctypes.Structure):
    _fields_ = [("tag", ctypes.c_uint8), ("u", _Payload)]

class JoinTimes(ctypes.Structure):
    _fields_ = [(n, ctypes.c_uint64) for n in
                ("user_ns", "sys_ns", "real_ns", "fork_ns", "exit_ns")] + [("exact", ctypes.c_int)]

assert ctypes.sizeof(OptionPid) == 8 and OptionPid.pid.offset == 4
assert ctypes.sizeof(JoinStatus) == 6 and JoinStatus.u.offset == 2
NON_BLOCKING, WAKE_STOPPED = 1, 2
NOTHING, EXIT_NORMAL, EXIT_SIGNAL, STOPPED = range(4)

def load():
    lib = ctypes.CDLL(None)  # the process's own symbols, LD_PRELOAD's among them
    if not hasattr(lib, "join_proc_join_timed"):
        sys.exit("pool.py: run me with LD_PRELOAD=.../libjoin.so")
    f = lib.join_proc_join_timed
    f.argtypes = [ctypes.POINTER(OptionPid), ctypes.c_uint32, ctypes.POINTER(JoinStatus),
                  ctypes.POINTER(JoinTimes)]
    f.restype = ctypes.c_uint16
    return f

def describe(st):
    if st.tag == EXIT_NORMAL:
        return "exit %d" % st.u.exit_normal.code
    if st.tag == EXIT_SIGNAL:
        s = st.u.exit_signal.signal
        return "signal %d (%s)" % (s, signal.Signals(s).name)
    if st.tag == STOPPED:
        return "stopped by %d" % st.u.stopped.signal
    return "nothing"

def work(i):
    time.sleep((40 + 37 * (i % 5)) / 1000)
    t0 = time.process_time()
    while time.process_time() - t0 < 0.010 * (i % 3):  # some CPU, so user time shows
        pass
    if i == 5:
        os.kill(os.getpid(), signal.SIGTERM)
    os._exit(100 + i if i % 4 == 3 else 0)

def start(i, jobs):
    pid = os.fork()
    if pid == 0:
        work(i)
    jobs[pid] = i
    print("pool.py: started job %d as pid %d" % (i, pid), flush=True)

def main():
    proc_join_timed = load()
    jobs, nxt, done, polls, slices = {}, 0, 0, 0, 0
    while len(jobs) < POOL and nxt < JOBS:
        start(nxt, jobs)
        nxt += 1
    while jobs:
        pid, st, t = OptionPid(0, 0), JoinStatus(), JoinTimes()
        e = proc_join_timed(ctypes.byref(pid), NON_BLOCKING, ctypes.byref(st), ctypes.byref(t))
        polls += 1
        if e != 0:
            sys.exit("pool.py: proc_join: wasi errno %d" % e)
        if pid.pid == 0:  # Some(0): nothing yet; get on with our own work
            sum(range(20000))
            time.sleep(0.002)
            slices += 1
            continue
        i = jobs.pop(pid.pid)
        print("pool.py: joined job %d (pid %d): %-24s real %7.1f ms  user %5.1f ms  sys %5.1f ms  %s"
              % (i, pid.pid, describe(st), t.real_ns / 1e6, t.user_ns / 1e6, t.sys_ns / 1e6,
                 "exact" if t.exact else "(exit time: an upper bound)"), flush=True)
        done += 1
        if nxt < JOBS:
            start(nxt, jobs)
            nxt += 1
    print("pool.py: %d jobs joined; %d polls, %d slices of other work meanwhile"
          % (done, polls, slices))

if __name__ == "__main__":
    main()
