#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""otlp.py - what joinrun's OpenTelemetry export costs (`make bench-otlp`, in `make bench`).

1. Export rate: a JSONL log of 100,000 processes (make -> 100 sh -> 1,000 cc each,
   as libjoin writes them), sent with `joinrun --report LOG --otlp=URL` to a sink on
   127.0.0.1 (protobuf, gzip, JSON) and written with --otlp-file: spans per second
   and joinrun's peak RSS.
2. The CPU cost of --otlp on a real build (cc shim/*.c, make -j2, as bench/run.py's
   build), pinned to one CPU, interleaved rounds: joinrun -f jsonl -o LOG against
   joinrun --otlp=URL -o LOG, and with --propagate; CPU (user + sys) of everything
   joinrun reaps, joinrun included; ratio median and half the IQR.  The sink's CPU
   is not counted: the collector is another machine's.
3. Instructions on the exec path with --propagate (callgrind, a failing execv so
   that the process survives to be counted).
"""
import argparse, glob, http.server, json, os, shutil, statistics, subprocess, sys, tempfile, threading, time

ap = argparse.ArgumentParser()
ap.add_argument("--build", default="build")
ap.add_argument("--procs", type=int, default=100000)
ap.add_argument("--rounds", type=int, default=7)
args = ap.parse_args()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
B = os.path.abspath(os.path.join(ROOT, args.build))
JR = os.path.join(B, "joinrun")
TMP = tempfile.mkdtemp(prefix="otlpbench.")
received = [0, 0]  # requests, bytes


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(n)
        received[0] += 1
        received[1] += n
        body = b"{}" if "json" in (self.headers.get("Content-Type") or "") else b""
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Sink)
srv.daemon_threads = True
threading.Thread(target=srv.serve_forever, daemon=True).start()
URL = "http://127.0.0.1:%d" % srv.server_address[1]


def synthetic_log(path, n):
    """make -> n/1000 sh -> 1000 cc each, every line as libjoin and joinrun write it."""
    t = 10**12
    jr, make = 900, 1000
    per = 1000
    nsh = max(1, n // per)
    out = open(path, "w")
    w = lambda o: out.write(json.dumps(o, separators=(",", ":")) + "\n")
    rus = {"maxrss_kb": 2000, "minflt": 100, "majflt": 0, "inblock": 0, "oublock": 8, "nvcsw": 2, "nivcsw": 1}
    w({"event": "fork", "pid": jr, "comm": "joinrun", "t_ns": t, "child": make, "how": "joinrun"})
    pid = 2000
    for s in range(nsh):
        sh = pid; pid += 1
        t += 1000
        w({"event": "fork", "pid": make, "comm": "make", "t_ns": t, "child": sh, "how": "vfork"})
        for c in range(per):
            cc = pid; pid += 1
            t += 1000
            w({"event": "fork", "pid": sh, "comm": "sh", "t_ns": t, "child": cc, "how": "vfork"})
            w({"event": "exec", "pid": cc, "comm": "cc", "t_ns": t + 500, "argv": ["cc", "-c", "f%d.c" % cc], "argv_truncated": False})
            t += 10**6
            w(dict({"event": "reap", "pid": sh, "comm": "sh", "t_ns": t, "child": cc, "child_comm": "cc", "tid": sh, "call": "wait4", "code": 0 if c % 97 else 1, "core": False, "user_ms": 8, "sys_ms": 2, "real_ms": 1, "exact": False, "late_ms": None, "tracked": True, "approx": False}, **rus))
        t += 1000
        w(dict({"event": "reap", "pid": make, "comm": "make", "t_ns": t, "child": sh, "child_comm": "sh", "tid": make, "call": "wait4", "code": 0, "core": False, "user_ms": 8000, "sys_ms": 2000, "real_ms": 1000, "exact": False, "late_ms": None, "tracked": True, "approx": False}, **rus))
    w(dict({"event": "reap", "pid": jr, "comm": "joinrun", "t_ns": t + 1000, "child": make, "child_comm": "make", "tid": jr, "call": "wait4", "code": 0, "core": False, "user_ms": 9000, "sys_ms": 2000, "real_ms": 1000, "exact": False, "late_ms": None, "tracked": True, "approx": False}, **rus))
    out.close()
    return pid - 2000 + 1


def run(cmd, env=None, cpu=None):
    """wall s, CPU s of it and all it reaped, peak RSS KiB; fails loudly."""
    if cpu is not None:
        cmd = ["taskset", "-c", str(cpu)] + cmd
    t = time.time()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, st, ru = os.wait4(p.pid, 0)
    wall = time.time() - t
    err = p.stderr.read().decode()
    p.stderr.close()
    if st != 0:
        sys.exit("bench/otlp.py: %s failed: %s" % (" ".join(cmd), err[-400:]))
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss


def export_rate():
    log = os.path.join(TMP, "tree.jsonl")
    n = synthetic_log(log, args.procs)
    mb = os.path.getsize(log) / 2**20
    print("Export rate: a log of %d processes (%.0f MiB), joinrun --report LOG, sink on 127.0.0.1;"
          "\nspans per CPU second of joinrun beyond reading the log (the first row)\n" % (n, mb))
    print("  %-26s %8s %8s %14s %10s %9s" % ("", "wall s", "CPU s", "spans/CPU-s", "peak RSS", "requests"))
    base = dict(os.environ)
    for k in list(base):
        if k.startswith("OTEL_") or k in ("TRACEPARENT", "TRACESTATE"):
            del base[k]
    for name, extra, opt in (("--report only (parse)", {}, []),
                             ("--otlp (protobuf)", {}, ["--otlp=" + URL]),
                             ("--otlp, gzip", {"OTEL_EXPORTER_OTLP_COMPRESSION": "gzip"}, ["--otlp=" + URL]),
                             ("--otlp, http/json", {"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, ["--otlp=" + URL]),
                             ("--otlp-file", {}, ["--otlp-file", os.path.join(TMP, "out.jsonl")])):
        r0 = received[0]
        env = dict(base, OTEL_EXPORTER_OTLP_TIMEOUT="600000", **extra)
        wall, cpu, rss = run([JR, "--report", log] + opt, env)
        if not opt:
            parse = cpu  # the log's reading, which every row pays: the rate is beyond it
        rate = "%14.0f" % (n / max(cpu - parse, 1e-9)) if opt else "%14s" % "-"
        print("  %-26s %8.2f %8.2f %s %7.0f MiB %9d" % (name, wall, cpu, rate, rss / 1024, received[0] - r0))
        if opt and opt[0] == "--otlp-file":
            os.unlink(os.path.join(TMP, "out.jsonl"))
    print()


def build_dir():
    d = os.path.join(TMP, "build")
    os.makedirs(d, exist_ok=True)
    srcs = sorted(glob.glob(os.path.join(ROOT, "shim", "*.c")))
    with open(os.path.join(d, "Makefile"), "w") as f:
        objs = [os.path.join(d, os.path.basename(s)[:-2] + ".o") for s in srcs]
        f.write("all: " + " ".join(objs) + "\n")
        for s, o in zip(srcs, objs):
            f.write("%s: %s\n\t@cc -std=gnu11 -O2 -fPIC -I%s/include -I%s/shim -D_GNU_SOURCE -c -o $@ $<\n" % (o, s, ROOT, ROOT))
    return d


def build_cost():
    d = build_dir()
    log = os.path.join(TMP, "build.jsonl")
    configs = [("no export", []), ("--otlp", ["--otlp=" + URL]), ("--otlp --propagate", ["--otlp=" + URL, "--propagate"])]
    cpu = {k: [] for k, _ in configs}
    env = dict(os.environ, OTEL_EXPORTER_OTLP_TIMEOUT="60000")
    for i in range(args.rounds):
        order = configs if i % 2 == 0 else configs[::-1]
        for k, opt in order:
            for o in glob.glob(os.path.join(d, "*.o")):
                os.unlink(o)
            if os.path.exists(log):
                os.unlink(log)
            _, c, _ = run([JR, "-f", "jsonl", "-o", log] + opt + ["--", "make", "-s", "-j2", "-C", d], env, cpu=1)
            cpu[k].append(c)
    print("CPU of a real build (cc shim/*.c, make -j2, pinned to CPU 1, %d rounds), joinrun and all it reaps:\n" % args.rounds)
    for k, _ in configs:
        ratios = sorted(c / b for c, b in zip(cpu[k], cpu["no export"]))
        q = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else [ratios[0]] * 3
        print("  %-22s %7.3f s   x%.4f ± %.4f" % (k, statistics.median(cpu[k]), statistics.median(ratios), (q[2] - q[0]) / 2))
    print()


def exec_instructions():
    if not shutil.which("valgrind"):
        return
    src = os.path.join(TMP, "ex.c")
    with open(src, "w") as f:
        f.write('#include <unistd.h>\nint main(int c, char **v) { (void)c; execv("/nonexistent/x", v); return 0; }\n')
    ex = os.path.join(TMP, "ex")
    subprocess.run(["cc", "-O2", "-o", ex, src], check=True)
    tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    got = {}
    for k, extra in (("off", {"JOIN_PROPAGATX": "1"}), ("--propagate", {"JOIN_PROPAGATE": "1"})):
        env = dict(os.environ, LD_PRELOAD=os.path.join(B, "libjoin.so"), JOIN_LOG="off", TRACEPARENT=tp, **extra)
        p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + os.path.join(TMP, "cg"), ex],
                           env=env, stderr=subprocess.PIPE, text=True)
        got[k] = next(int(l.split()[-1].replace(",", "")) for l in p.stderr.splitlines() if "refs:" in l)
    print("Instructions of a process that execs (a failing execv, %d variables): off %d, --propagate %d (+%d)\n"
          % (len(os.environ) + 4, got["off"], got["--propagate"], got["--propagate"] - got["off"]))


export_rate()
build_cost()
exec_instructions()
shutil.rmtree(TMP)
