#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pinned.py - the headline of `make bench`: pinned CPU per cycle (docs/DESIGN.md).

Every run is pinned to one CPU (taskset -c 1), so the program, its children and
any helper process, the collector included, share it and all of their work is
counted: the figure is the CPU time (user + sys) of everything the run reaps,
per cycle.  Configurations run in interleaved rounds (the order rotating and
reversing); each one's figure is divided by the empty preload's of the same
round; the median and half the interquartile range of those ratios are shown.
Beside them, from separate runs: system calls of the looping process per cycle
(strace -c, N and 2N cycles, the difference), page faults of the whole tree per
cycle, and instructions to exec /bin/true (callgrind).
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--rounds", type=int, default=15)
ap.add_argument("--only", default="", help="comma-separated workloads: fork,spawn")
args = ap.parse_args()

B = os.path.abspath(args.build)
LIB = os.path.join(B, "libjoin.so")
JOINRUN = os.path.join(B, "joinrun")
EMPTY = os.path.join(B, "bench", "empty.so")
LOOP = os.path.join(B, "bench", "work")
TMP = tempfile.mkdtemp(prefix="joinpinned.")
WORK = {"fork": 2000, "spawn": 400}


def cfgs():
    log = os.path.join(TMP, "log")
    fd = f"sh -c 'exec 3>>{log}.fd; exec env LD_PRELOAD={LIB} JOIN_LOG=fd:3 \"$@\"' sh"
    return [
        ("empty", f"env LD_PRELOAD={EMPTY}"),
        ("native", "env"),
        ("path", f"env LD_PRELOAD={LIB} JOIN_LOG={log}.path"),
        # A finite file-size limit: each record's write is guarded (SIGXFSZ blocked,
        # the limit checked), the cost the log pays to never kill the program.
        ("fsize", f"prlimit --fsize=4294967296 env LD_PRELOAD={LIB} JOIN_LOG={log}.fsize"),
        ("fd", fd),
        ("off", f"env LD_PRELOAD={LIB} JOIN_LOG=off"),
        ("joinrun", f"{JOINRUN} -o {log}.jr --"),
        ("watch", f"{JOINRUN} --watch -o {log}.jw --"),
    ]


def argv(prefix, mode, n):
    return ["sh", "-c", f'exec taskset -c 1 {prefix} "$@"', "sh", LOOP, mode, str(n)]


def tree_cpu_faults():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime, r.ru_minflt


def once(prefix, mode, n):
    c0, f0 = tree_cpu_faults()
    p = subprocess.run(argv(prefix, mode, n), stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode:
        sys.exit(f"{prefix} {mode}: the loop failed: {p.stderr[-300:]}")
    c1, f1 = tree_cpu_faults()
    return (c1 - c0) / n * 1e6, (f1 - f0) / n


def syscalls(prefix, mode, n):
    """System calls of the looping process per cycle: 2N cycles minus N."""
    if not shutil.which("strace"):
        return None
    got = []
    for k in (n, 2 * n):
        out = os.path.join(TMP, "strace")
        cmd = ["sh", "-c", f'exec {prefix} strace -c -o {out} "$@"', "sh", LOOP, mode, str(k)]
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        total = [ln.split() for ln in open(out) if ln.rstrip().endswith("total")]
        got.append(int(total[0][3]) if total else 0)  # %, seconds, usecs/call, calls
    return (got[1] - got[0]) / n


def exec_instructions(preload):
    if not shutil.which("valgrind"):
        return None
    out = os.path.join(TMP, "cg")
    p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        "/bin/true"], env=dict(os.environ, LD_PRELOAD=preload),
                       stderr=subprocess.PIPE, text=True)
    for ln in p.stderr.splitlines():
        if "refs:" in ln:
            return int(ln.split()[-1].replace(",", ""))
    return None


def main():
    only = set(filter(None, args.only.split(",")))
    configs = cfgs()
    print(f"Pinned CPU per cycle (taskset -c 1, the whole tree and the collector counted), "
          f"{args.rounds} interleaved rounds; ratio to the empty preload of the same round, "
          f"median ± half the IQR\n")
    for mode, n in WORK.items():
        if only and mode not in only:
            continue
        cs = [c for c in configs if not (mode == "spawn" and c[0] == "watch")]
        cpu = {k: [] for k, _ in cs}
        flt = {k: [] for k, _ in cs}
        for i in range(args.rounds):
            order = cs[i % len(cs):] + cs[:i % len(cs)]
            for k, pre in (order[::-1] if i % 2 else order):
                c, f = once(pre, mode, n)
                cpu[k].append(c)
                flt[k].append(f)
        print(f"{mode} loop ({n} cycles a run)")
        print(f"  {'config':<8} {'µs/cycle':>9} {'ratio':>7} {'±':>6} {'faults':>7} {'syscalls':>9}")
        for k, pre in cs:
            r = [a / b for a, b in zip(cpu[k], cpu["empty"])]
            q = statistics.quantiles(r, n=4, method="inclusive")
            sc = syscalls(pre, mode, 200 if mode == "fork" else 50)
            scs = f"{sc:9.1f}" if sc is not None else f"{'-':>9}"
            print(f"  {k:<8} {statistics.median(cpu[k]):9.1f} {statistics.median(r):7.3f} "
                  f"{(q[2] - q[0]) / 2:6.3f} {statistics.median(flt[k]):7.1f} {scs}")
        print()
    a, b = exec_instructions(EMPTY), exec_instructions(LIB)
    if a and b:
        print(f"exec of /bin/true: {a} instructions under the empty preload, {b} under "
              f"libjoin (+{b - a})")
    shutil.rmtree(TMP, ignore_errors=True)


main()
