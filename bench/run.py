#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""run.py - `make bench`: what libjoin costs, side by side with native runs.

Every workload runs under every configuration in interleaved rounds (the
order rotates each round, so no configuration always goes first); each
libjoin figure is divided by the empty preload's figure of the same round,
and the median and spread of those ratios are reported.  Then the repeatable
figures: instructions per fork+reap under callgrind, and the engine's
micro-benchmarks.  CSV and an SVG chart go to build/bench/.
"""
import argparse
import csv
import glob
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--rounds", type=int, default=9)
ap.add_argument("--scale", type=float, default=1.0, help="multiplies every loop count")
ap.add_argument("--only", default="", help="comma-separated workloads")
ap.add_argument("--configs", default="", help="comma-separated configurations")
ap.add_argument("--skip", default="", help="comma-separated parts: wall,callgrind,micro,chart")
args = ap.parse_args()

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.path.abspath(os.path.join(ROOT, args.build))
OUT = os.path.join(B, "bench")
LIB = os.path.join(B, "libjoin.so")
EMPTY = os.path.join(OUT, "empty.so")
THREAD = os.path.join(OUT, "thread.so")
CTOR_LIB = os.path.join(OUT, "ctor", "libjoin.so")
WORK = os.path.join(OUT, "work")
MICRO = os.path.join(OUT, "micro")
PY = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else shutil.which("python3")
STRACE = shutil.which("strace")
SKIP = set(filter(None, args.skip.split(",")))
TMP = tempfile.mkdtemp(prefix="joinbench.")
LOG = os.path.join(TMP, "join.log")


def n(k):
    return str(max(1, int(k * args.scale)))


# --- workloads -------------------------------------------------------------
def make_makefile(count):
    d = os.path.join(TMP, "make")
    os.makedirs(d, exist_ok=True)
    names = " ".join(f"t{i}" for i in range(count))
    with open(os.path.join(d, "Makefile"), "w") as f:
        f.write(f".PHONY: all {names}\nall: {names}\n")
        for i in range(count):
            f.write(f"t{i}:\n\t@/bin/true\n")
    return d


def build_makefile():
    """libjoin's engine (shim/*.c) compiled from clean, two jobs, into TMP."""
    d = os.path.join(TMP, "build")
    os.makedirs(d, exist_ok=True)
    srcs = sorted(glob.glob(os.path.join(ROOT, "shim", "*.c")) + glob.glob(os.path.join(ROOT, "shim", "*", "*.c")))
    objs = [os.path.join(d, os.path.basename(s)[:-2] + ".o") for s in srcs]
    with open(os.path.join(d, "Makefile"), "w") as f:
        f.write("all: " + " ".join(objs) + "\n")
        for s, o in zip(srcs, objs):
            f.write(f"{o}: {s}\n\t@cc -std=gnu11 -O2 -fPIC -I{ROOT}/include -I{ROOT}/shim "
                    f"-D_GNU_SOURCE -c -o $@ $<\n")
    return d


def clean_build(d):
    for o in glob.glob(os.path.join(d, "*.o")):
        os.unlink(o)


# name, label, unit, command, internal (the program prints ns per cycle), before-hook
WORKLOADS = [
    ("fork", "fork+_exit+waitpid", "us/cycle", [WORK, "fork", n(2000)], True, None),
    ("vfork", "vfork+execve(true)", "us/cycle", [WORK, "vfork", n(300)], True, None),
    ("spawn", "posix_spawn(true)", "us/cycle", [WORK, "spawn", n(300)], True, None),
    ("system", "system(\"true\")", "us/cycle", [WORK, "system", n(200)], True, None),
    ("bash", "bash loop of true", "ms/run",
     ["bash", "-c", f"for ((i=0;i<{n(300)};i++)); do /bin/true; done"], False, None),
    ("make", "make -j2, 300 targets", "ms/run", None, False, None),
    ("python", "python3 subprocess.run", "ms/run",
     [PY, "-c", f"import subprocess\nfor _ in range({n(150)}): subprocess.run(['/bin/true'])"],
     False, None),
    ("build", "cc shim/*.c, make -j2", "ms/run", None, False, None),
]


def setup_workloads():
    out = []
    for name, label, unit, cmd, internal, hook in WORKLOADS:
        if name == "make":
            cmd = ["make", "-s", "-j2", "-C", make_makefile(int(n(300)))]
        if name == "build":
            d = build_makefile()
            cmd = ["make", "-s", "-j2", "-C", d]
            hook = (lambda d=d: clean_build(d))
        out.append((name, label, unit, cmd, internal, hook))
    only = set(filter(None, args.only.split(",")))
    return [w for w in out if not only or w[0] in only]


# --- configurations --------------------------------------------------------
def base_env():
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("JOIN_") and k != "LD_PRELOAD"}
    env["LC_ALL"] = "C"
    return env


CONFIGS = [  # name, label, extra environment, command prefix
    ("native", "native", {}, []),
    ("empty", "empty preload", {"LD_PRELOAD": EMPTY}, []),
    ("thread", "empty preload with an idle thread", {"LD_PRELOAD": THREAD}, []),
    ("file", "libjoin, log to a file", {"LD_PRELOAD": LIB, "JOIN_LOG": LOG}, []),
    ("off", "libjoin, JOIN_LOG=off", {"LD_PRELOAD": LIB, "JOIN_LOG": "off"}, []),
    ("jsonl", "libjoin, JOIN_FORMAT=jsonl", {"LD_PRELOAD": LIB, "JOIN_LOG": LOG,
                                            "JOIN_FORMAT": "jsonl"}, []),
    ("watch", "libjoin, JOIN_WATCH=1", {"LD_PRELOAD": LIB, "JOIN_LOG": LOG, "JOIN_WATCH": "1"},
     []),
]
if STRACE:
    CONFIGS.append(("strace", "strace -f -e trace=process", {},
                    [STRACE, "-f", "-qq", "-e", "trace=process", "-o",
                     os.path.join(TMP, "strace.out")]))
if args.configs:
    keep = set(args.configs.split(",")) | {"native", "empty"}
    CONFIGS = [c for c in CONFIGS if c[0] in keep]


def children_cpu():
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_one(work, config):
    """Runs one workload once: (wall, cpu, log records); wall and cpu in the unit of
    the workload, cpu being user + sys of the whole process tree."""
    name, _, unit, cmd, internal, hook = work
    _, _, extra, prefix = config
    env = base_env()
    env.update(extra)
    if hook:
        hook()
    for f in (LOG, os.path.join(TMP, "strace.out")):
        if os.path.exists(f):
            os.unlink(f)
    c0 = children_cpu()
    t0 = time.perf_counter_ns()
    p = subprocess.run(prefix + cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       cwd=TMP)
    t1 = time.perf_counter_ns()
    c1 = children_cpu()
    if p.returncode != 0:
        sys.stderr.write(f"# {name} under {config[0]} failed ({p.returncode}): "
                         f"{p.stderr.decode(errors='replace')[-300:]}\n")
        return None, None, 0, None
    records = 0
    if os.path.exists(LOG):
        with open(LOG, "rb") as f:
            records = sum(1 for _ in f)
    if internal:  # us per cycle, the loop only; page faults per cycle, parent and children
        w, c, fs, fc = p.stdout.split()[-4:]
        faults = (float(fs), float(fc))
        if prefix:  # under strace: the tracer's CPU counts too, so take the tree's
            return float(w) / 1000.0, (c1 - c0) * 1e6 / float(cmd[-1]), records, faults
        return float(w) / 1000.0, float(c) / 1000.0, records, faults
    return (t1 - t0) / 1e6, (c1 - c0) * 1e3, records, None  # ms per run


def quartiles(v):
    v = sorted(v)
    if len(v) < 4:
        return v[0], statistics.median(v), v[-1]
    q = statistics.quantiles(v, n=4, method="inclusive")
    return q[0], q[1], q[2]


def wall(works):
    raw = []  # round, workload, config, value, records
    t_start = time.time()
    for r in range(args.rounds):
        for wi, w in enumerate(works):
            k = (r + wi) % len(CONFIGS)
            for c in CONFIGS[k:] + CONFIGS[:k]:
                v, cpu, recs, faults = run_one(w, c)
                raw.append((r, w[0], c[0], v, cpu, recs, faults))
        sys.stderr.write(f"# round {r + 1}/{args.rounds} done, {time.time() - t_start:.0f} s\n")
    with open(os.path.join(OUT, "raw.csv"), "w", newline="") as f:
        cw = csv.writer(f)
        cw.writerow(["round", "workload", "config", "wall", "cpu", "unit", "log_records",
                     "faults_parent", "faults_children"])
        units = {w[0]: w[2] for w in works}
        for row in raw:
            f = row[6] or ("", "")
            cw.writerow([row[0], row[1], row[2], "" if row[3] is None else f"{row[3]:.3f}",
                         "" if row[4] is None else f"{row[4]:.3f}", units[row[1]], row[5],
                         f[0], f[1]])
    return raw


def summarise(works, raw, metric):
    """Per workload and configuration: medians, and the per-round ratios' median and
    quartiles against the empty preload and native.  metric: 3 wall, 4 cpu."""
    val = {(x[0], x[1], x[2]): x[metric] for x in raw}
    recs = {}
    for x in raw:
        recs[(x[1], x[2])] = max(recs.get((x[1], x[2]), 0), x[5])
    rows = []
    for w in works:
        for c in CONFIGS:
            vals = [val[(r, w[0], c[0])] for r in range(args.rounds)
                    if val.get((r, w[0], c[0])) is not None]
            if not vals:
                continue
            row = {"workload": w[0], "config": c[0], "unit": w[2],
                   "median": statistics.median(vals), "min": min(vals), "max": max(vals)}
            for base in ("empty", "native"):
                ratios = [val[(r, w[0], c[0])] / val[(r, w[0], base)]
                          for r in range(args.rounds)
                          if val.get((r, w[0], c[0])) and val.get((r, w[0], base))]
                if ratios:
                    q1, med, q3 = quartiles(ratios)
                    row[f"r_{base}"] = med
                    row[f"r_{base}_q1"] = q1
                    row[f"r_{base}_q3"] = q3
            row["log_records"] = recs.get((w[0], c[0]), 0)
            rows.append(row)
    name = "summary.csv" if metric == 3 else "summary_cpu.csv"
    with open(os.path.join(OUT, name), "w", newline="") as f:
        keys = ["workload", "config", "unit", "median", "min", "max", "r_empty", "r_empty_q1",
                "r_empty_q3", "r_native", "r_native_q1", "r_native_q3", "log_records"]
        cw = csv.DictWriter(f, fieldnames=keys)
        cw.writeheader()
        for row in rows:
            cw.writerow({k: (f"{row[k]:.4f}" if isinstance(row.get(k), float) else row.get(k, ""))
                         for k in keys})
    return rows


def fmt_ratio(row, base):
    if not row or f"r_{base}" not in row:
        return "-"
    half = (row[f"r_{base}_q3"] - row[f"r_{base}_q1"]) / 2
    return f"{row[f'r_{base}']:.3f}±{half:.3f}"


def print_tables(works, rows, what):
    get = {(r["workload"], r["config"]): r for r in rows}
    cfgs = [c[0] for c in CONFIGS]
    lj = [c for c in cfgs if c not in ("native", "empty")]
    print(f"\n{what} ratios, median of {args.rounds} interleaved rounds ± half the "
          "interquartile range")
    print("(X/empty: against an empty preloaded library, the floor of any LD_PRELOAD tool)\n")
    hdr = f"{'workload':24}" + "".join(f"{c + '/empty':>14}" for c in lj) + \
        f"{'empty/native':>14}{'file/native':>14}"
    print(hdr)
    for w in works:
        line = f"{w[1]:24}" + "".join(f"{fmt_ratio(get.get((w[0], c)), 'empty'):>14}" for c in lj)
        line += f"{fmt_ratio(get.get((w[0], 'empty')), 'native'):>14}"
        line += f"{fmt_ratio(get.get((w[0], 'file')), 'native'):>14}"
        print(line)
    print(f"\n{what} medians (us per cycle for the C loops, ms per run for the others)\n")
    print(f"{'workload':24}" + "".join(f"{c:>10}" for c in cfgs))
    for w in works:
        line = f"{w[1]:24}"
        for c in cfgs:
            r = get.get((w[0], c))
            line += f"{r['median']:>10.1f}" if r else f"{'-':>10}"
        print(line)


GOALS = [  # workload, config, limit, what
    ("fork", "file", 1.03, "fork loop, log to a file"),
    ("spawn", "file", 1.02, "posix_spawn loop"),
    ("vfork", "file", 1.02, "vfork+exec loop"),
    ("system", "file", 1.02, "system() loop"),
    ("make", "file", 1.01, "make -j2"),
    ("bash", "file", 1.01, "bash loop"),
    ("python", "file", 1.01, "python subprocess"),
    ("fork", "watch", 1.10, "watch mode, fork loop"),
]


def print_faults(works, raw):
    """Page faults per cycle of the C loops: repeatable, unlike time."""
    cfgs = [c[0] for c in CONFIGS if c[0] != "strace"]
    print("\nPage faults per cycle, parent + children (medians; every page written again "
          "after a fork faults)\n")
    print(f"{'workload':24}" + "".join(f"{c:>14}" for c in cfgs))
    for w in works:
        if not w[4]:
            continue
        line = f"{w[1]:24}"
        for c in cfgs:
            f = [x[6] for x in raw if x[1] == w[0] and x[2] == c and x[6]]
            if f:
                p = statistics.median(a for a, _ in f)
                k = statistics.median(b for _, b in f)
                line += f"{p:>7.2f} +{k:>5.1f}"
            else:
                line += f"{'-':>14}"
        print(line)


def print_goals(rows, cpu):
    get = {(r["workload"], r["config"]): r for r in rows}
    cget = {(r["workload"], r["config"]): r for r in cpu}
    print("\nGoals (libjoin / empty preload, median ratio; CPU time ratio beside it):")
    for w, c, lim, what in GOALS:
        r = get.get((w, c))
        if not r or "r_empty" not in r:
            continue
        v = r["r_empty"]
        verdict = "met" if v <= lim else f"missed by {100 * (v - lim):.1f} points"
        cr = cget.get((w, c), {}).get("r_empty")
        cpu_s = f"cpu {cr:.3f}" if cr else ""
        print(f"  {what:28} {v:.3f} (goal <= {lim:.2f}): {verdict:24} {cpu_s}")


# --- callgrind: instructions per fork+reap ---------------------------------
def callgrind_total(cmd, env, tag):
    d = os.path.join(TMP, "cg." + tag)
    os.makedirs(d, exist_ok=True)
    p = subprocess.run(["valgrind", "--tool=callgrind", "--dump-instr=no",
                        f"--callgrind-out-file={d}/out.%p"] + cmd, env=env,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=TMP)
    totals = []
    for fn in glob.glob(d + "/out.*"):
        with open(fn) as f:
            for line in f:
                if line.startswith("totals:") or line.startswith("summary:"):
                    totals.append((int(line.split()[1]), fn))
                    break
    if p.returncode != 0 or not totals:
        return None, None
    # Forked children inherit the parent's counts and stop earlier: the parent has the most.
    return max(totals)


def inclusive(fn, pattern):
    p = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", fn],
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    for line in p.stdout.splitlines():
        if re.search(pattern, line):
            return int(line.split()[0].replace(",", ""))
    return None


def callgrind():
    if not shutil.which("valgrind"):
        print("\n(valgrind missing: apt-get install -y valgrind)")
        return []
    out = []
    lo, hi = 100, 300
    cfgs = [("empty", {"LD_PRELOAD": EMPTY}), ("file", {"LD_PRELOAD": LIB, "JOIN_LOG": LOG}),
            ("off", {"LD_PRELOAD": LIB, "JOIN_LOG": "off"}),
            ("jsonl", {"LD_PRELOAD": LIB, "JOIN_LOG": LOG, "JOIN_FORMAT": "jsonl"})]
    print("\nInstructions per fork+_exit+waitpid cycle in the parent, user space "
          f"(callgrind, cycles {hi} minus {lo}):")
    per = {}
    for c, extra in cfgs:
        env = base_env()
        env.update(extra)
        a, _ = callgrind_total([WORK, "fork", str(lo)], env, f"{c}.{lo}")
        b, _ = callgrind_total([WORK, "fork", str(hi)], env, f"{c}.{hi}")
        if a is None or b is None:
            print(f"  {c}: callgrind failed")
            continue
        per[c] = (b - a) / (hi - lo)
    for c, v in per.items():
        extra = f"  (+{v - per['empty']:.0f} for libjoin)" if c != "empty" and "empty" in per \
            else ""
        print(f"  {c:8} {v:8.0f}{extra}")
        out.append((f"ir_per_fork_{c}", v, "Ir"))
    # The constructor, and everything one more exec pays: /bin/true, libjoin against empty.
    ex = {}
    for c, extra in cfgs[:2]:
        env = base_env()
        env.update(extra)
        ex[c] = callgrind_total(["/bin/true"], env, f"true.{c}")
    if ex.get("empty", (None,))[0] and ex.get("file", (None,))[0]:
        ctor = inclusive(ex["file"][1], r"init\.c:constructor")
        d = ex["file"][0] - ex["empty"][0]
        print(f"  exec of /bin/true: +{d} instructions with libjoin against the empty preload"
              + (f", {ctor} of them in the constructor" if ctor else ""))
        out.append(("ir_exec_true_extra", d, "Ir"))
        if ctor:
            out.append(("ir_constructor", ctor, "Ir"))
    return out


# --- micro-benchmarks --------------------------------------------------------
def constructor(n=301):
    """The constructor's own time at each exec (bench/ctor build): p10, median, p90 in ns."""
    if not os.path.exists(CTOR_LIB):
        return None
    env = base_env()
    env.update({"LD_PRELOAD": CTOR_LIB, "JOIN_LOG": LOG})
    v = []
    for _ in range(n):
        p = subprocess.run(["/bin/true"], env=env, stderr=subprocess.PIPE, text=True)
        v += [int(x) for x in p.stderr.split() if x.isdigit()]
    if not v:
        return None
    d = statistics.quantiles(v, n=10, method="inclusive")
    return d[0], statistics.median(v), d[-1]


def micro():
    p = subprocess.run([MICRO], stdout=subprocess.PIPE, text=True, env=base_env())
    res = []
    for line in p.stdout.splitlines():
        k, v, u = line.split(",")
        res.append((k, float(v), u))
    m = {k: v for k, v, _ in res}
    print("\nEngine micro-benchmarks (build/libshim.a, in process, no real children):")
    print(f"  one child's path (fork record + peek + reap record), log off: "
          f"{m['child_path_log_off'] / 1000:.2f} us   (goal <= 2 us)")
    print(f"    with the await record written to /dev/null: "
          f"{m['child_path_await_devnull'] / 1000:.2f} us;"
          f" JSON lines (comm read for every reap): {m['child_path_jsonl_devnull'] / 1000:.2f} us")
    print(f"    of which: lock pair {m['lock_pair']:.0f} ns (x2), peek waitid {m['peek_syscall']:.0f} ns")
    print(f"  formatting: await record {m['format_await']:.0f} ns "
          f"({m['format_await_signal']:.0f} ns with an exit string), "
          f"JSON reap line {m['format_jsonl_reap']:.0f} ns")
    ctor = constructor()
    if ctor:
        lo, med, hi = ctor
        print(f"  constructor, per exec of /bin/true (cold, its own clock): median "
              f"{med / 1000:.1f} us, p10 {lo / 1000:.1f}, p90 {hi / 1000:.1f}   (goal <= 5 us)")
        res += [("ctor_exec_median", med, "ns"), ("ctor_exec_p10", lo, "ns"),
                ("ctor_exec_p90", hi, "ns")]
    print(f"    of which warm, in process: config scan {m['ctor_config_scan']:.0f} ns, "
          f"the eager dlsym {m['ctor_dlsym_all']:.0f} ns")
    print(f"  {'live entries':>14}{'insert ns':>11}{'find ns':>9}{'delete ns':>11}{'bytes/child':>13}")
    for k in sorted({int(k.split('_')[-1]) for k in m if k.startswith("table_insert_")}):
        print(f"  {k:>14}{m[f'table_insert_{k}']:>11.0f}{m[f'table_find_{k}']:>9.0f}"
              f"{m[f'table_delete_{k}']:>11.0f}{m[f'bytes_per_child_{k}']:>13.1f}")
    print("  (table operations include the lock: goal <= 100 ns at 1M; memory goal <= 128 B)")
    return res


def chart(works, rows):
    gp = shutil.which("gnuplot")
    get = {(r["workload"], r["config"]): r for r in rows}
    lj = [c[0] for c in CONFIGS if c[0] not in ("native",)]
    dat = os.path.join(OUT, "ratios.dat")
    with open(dat, "w") as f:
        f.write("workload " + " ".join(lj) + "\n")
        for w in works:
            f.write(w[0] + " " + " ".join(
                f"{get[(w[0], c)]['r_native']:.4f}" if (w[0], c) in get and
                "r_native" in get[(w[0], c)] else "NaN" for c in lj) + "\n")
    svg = os.path.join(OUT, "ratios.svg")
    script = os.path.join(OUT, "ratios.gp")
    with open(script, "w") as f:
        f.write(f"""set terminal svg size 960,480 dynamic font 'sans,11'
set output '{svg}'
set title 'libjoin: run time relative to native (median of {args.rounds} interleaved rounds)'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key outside right top
set ylabel 'time / native'
set logscale y 2
set yrange [0.9:*]
set ytics (1, 1.1, 1.25, 1.5, 2, 3, 4)
set grid ytics
set xtics rotate by -30
plot for [i=2:{len(lj) + 1}] '{dat}' using i:xtic(1) title columnhead(i)
""")
    if not gp:
        print(f"\n(no gnuplot: apt-get install -y gnuplot-nox, then  gnuplot {script})")
        return
    subprocess.run([gp, script], stderr=subprocess.DEVNULL)
    print(f"\nChart: {svg}")


def main():
    os.makedirs(OUT, exist_ok=True)
    # The loader ignores a preload it cannot open: that run would pass for native.
    for c in CONFIGS:
        lib = c[2].get("LD_PRELOAD")
        if lib and not os.path.exists(lib):
            sys.exit(f"bench: {lib} is missing (make bench builds it)")
    t0 = time.time()
    load = open("/proc/loadavg").read().split()[:3]
    print(f"libjoin benchmark, {time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs, "
          f"load {' '.join(load)}, {os.uname().release}")
    works = setup_workloads()
    rows = []
    extra = []
    if "wall" not in SKIP:
        raw = wall(works)
        rows = summarise(works, raw, 3)
        cpu = summarise(works, raw, 4)
        print_tables(works, rows, "Wall-clock")
        print_goals(rows, cpu)
        print_tables(works, cpu, "CPU time (user + sys of the process tree)")
        print_faults(works, raw)
    if "callgrind" not in SKIP:
        extra += callgrind()
    if "micro" not in SKIP:
        extra += micro()
    if extra:
        with open(os.path.join(OUT, "figures.csv"), "w", newline="") as f:
            cw = csv.writer(f)
            cw.writerow(["name", "value", "unit"])
            cw.writerows(extra)
    if rows and "chart" not in SKIP:
        chart(works, rows)
    load = open("/proc/loadavg").read().split()[:3]
    print(f"\nCSV: {OUT}/summary.csv, raw.csv, figures.csv; {time.time() - t0:.0f} s; "
          f"load at the end {' '.join(load)}")
    shutil.rmtree(TMP, ignore_errors=True)


main()
