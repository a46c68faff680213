#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every number joinrun shows is true or says it is unknown (issue 26): zombies whose exit
# was not watched get no exit time; sub-millisecond processes are compared with the log's
# nanoseconds; runs appended to one log are told apart; a --repeat whose first run differs
# is named; the analysis goes to files; -o never mixes formats; nothing is left behind;
# a bad value warns once for the tree.
. "$(dirname "$0")/lib.sh"
JR=$B/joinrun
[ -x "$JR" ] || { echo "not ok joinrun-built # $JR missing"; exit 1; }
cd "$T" || exit 1
# status WANT CMD...: CMD exits WANT.
status() { local want=$1; shift; "$@" >/dev/null 2>&1; local rc=$?; [ $rc = "$want" ] || { echo "status $rc, want $want"; return 1; }; }

# 1. Three children exit after 0, 100 and 200 ms, never reaped by their parent.  joinrun,
# the tree's subreaper, reaps them as orphans when it exits.  Unwatched, their exit is
# known only as that reap, an upper bound, and the trace says so (or unknown, where they
# are not reaped at all); watched, it is exact.
leak='use POSIX; for $i (0..2) { fork or do { select undef, undef, undef, 0.1 * $i; POSIX::_exit($i) } } select undef, undef, undef, 0.5'
"$JR" --summary --trace leak.json --plot leak.svg -- perl -e "$leak" 2>leak.sum
cat >leak.py <<'EOF'
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
x = [e for e in ev if e.get("ph") == "X" and e["name"] == "perl"]
root = min(x, key=lambda e: e["ts"])
kids = sorted((e for e in x if e["pid"] != root["pid"]), key=lambda e: e["pid"])
assert len(kids) == 3, kids
for i, k in enumerate(kids):
    t = k["args"]["exit_time"]
    if sys.argv[2] == "watch":
        assert t == "exact" and abs(k["dur"] / 1000 - 100 * i) <= 40, (i, k)
    else:
        bound = t.startswith("upper bound") and k["args"].get("orphan")
        assert bound or (t == "unknown" and "real_ms" not in k["args"]), (i, k)
EOF
check zombie-exit-unknown python3 leak.py leak.json default
check zombie-summary-unknown grep -Eq 'real time unknown for 3 zombies never reaped|3 orphans reaped by joinrun' leak.sum
check zombie-summary-real grep -Eq '^perl +4 +[4-9][0-9]{2}\.[0-9] +[4-9][0-9]{2}\.[0-9] ' leak.sum
check zombie-plot-hatched grep -q 'fill="url(#open)"' leak.svg
check zombie-plot-label grep -Eq 'exit time unknown|exit time is the reap \(an upper bound\)' leak.svg
"$JR" --watch --trace leakw.json -- perl -e "$leak" 2>/dev/null
check zombie-exit-watched python3 leak.py leakw.json watch

# 2. Sub-millisecond processes: /bin/true against /usr/bin/env /bin/true, compared with the
# log's nanoseconds (at 1 ms resolution both were 1.0 ms, and the interval a point).
"$JR" --repeat 5 -o qa -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true; done' >/dev/null 2>&1
"$JR" --repeat 5 -o qb -- sh -c 'for i in 1 2 3 4 5 6 7 8 9 10; do /usr/bin/env /bin/true; done' >/dev/null 2>&1
"$JR" --report qa qb --json >q.json 2>/dev/null
check sub-ms-ratio python3 -c '
import json, sys
c = {x["command"]: x for x in json.load(open(sys.argv[1]))["comparison"]}
t = c["true"]
assert t["median_a"] != round(t["median_a"]) and t["ratio"] >= 1.2 and t["ci_high"] > t["ci_low"], t' q.json

# 3. Three runs appended to one log, with pauses between them: three runs, each its own
# wall time (not one run spanning the gaps).
for i in 1 2 3; do "$JR" -f jsonl -o m.jsonl -- sh -c 'sleep 0.1'; sleep 0.3; done
"$JR" --report m.jsonl --json >m.json 2>/dev/null
check appended-runs python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sets"][0]["runs"] == 3, d["sets"]
w = d["parallelism"]["wall_ms_runs"]
t = [json.loads(l)["t_ns"] for l in open(sys.argv[2])]
gaps = (max(t) - min(t)) / 1e6 - sum(w)  # two pauses of 300 ms lie between the runs
assert len(w) == 3 and all(x > 50 for x in w) and gaps >= 500, (w, gaps)' m.json m.jsonl
"$JR" --report m.jsonl >m.txt 2>&1
check appended-runs-table grep -q 'processes in 3 runs' m.txt

# 6. -o appends only to a log of the same format, else exit 2 and the file unchanged;
# a .jsonl name means JSONL.
"$JR" -f jsonl -o j.jsonl -- true
cp j.jsonl j.before
check o-format-refused status 2 "$JR" -f await -o j.jsonl -- touch ran-o
check o-format-unchanged cmp -s j.jsonl j.before
check o-format-nothing-ran test ! -e ran-o
check o-format-same-appended sh -c '"$1" -f jsonl -o j.jsonl -- true && test "$(grep -c "\"how\":\"joinrun\"" j.jsonl)" = 2' sh "$JR"
echo 'some notes' >notes.txt
check o-not-a-log status 2 "$JR" -o notes.txt -- true
check o-not-a-log-unchanged test "$(cat notes.txt)" = 'some notes'
"$JR" -o n.jsonl -- sh -c 'sh -c true'
check o-jsonl-name python3 -c 'import json, sys; [json.loads(l) for l in open(sys.argv[1])]' n.jsonl

# 5. The analysis of a run goes to files, never into the command's stderr; --json is for
# --report.
"$JR" --summary --export-json s.json --export-markdown s.md -- sh -c 'echo warn >&2; /bin/true' >/dev/null 2>s.err
check export-json python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert any(c["command"] == "true" for c in d["commands"])' s.json
check export-markdown grep -q '^| true | 1 |' s.md
check export-stderr-no-json sh -c '! grep -q "^{" s.err && grep -qx warn s.err'
check export-json-run-refused status 2 "$JR" --summary --json -- true
"$JR" --repeat 2 -o ex --export-json ex.json -- sh -c true 2>/dev/null
check export-json-repeat python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["sets"][0]["runs"] == 2' ex.json
"$JR" --report ex --export-markdown exr.md >/dev/null
check export-markdown-report grep -q '^| sh |' exr.md
check export-unwritable status 2 "$JR" --export-json /nonexistent/dir/x.json -- touch ran-x
check export-unwritable-nothing-ran test ! -e ran-x

# 4. --repeat of a command that works only the first time: run 1 is named; --prepare
# (not measured, without libjoin) makes the runs alike.
work="test -f stamp || { touch stamp; for i in 1 2 3 4 5 6 7 8; do /bin/true; done; }"
"$JR" --repeat 3 -o rep -- sh -c "$work" >rep.out 2>&1
check repeat-first-run-warned grep -q 'run 1 made 10 processes, runs 2–3 made 1; is the command idempotent? (--prepare' rep.out
rm -f stamp
"$JR" --repeat 3 -o rep2 --prepare 'rm -f stamp' -- sh -c "$work" >rep2.out 2>&1
check repeat-prepared-alike test ! -s rep2.out
check repeat-prepare-not-logged sh -c '! grep -q "\"comm\":\"rm\"" rep2/*.jsonl'
check repeat-prepare-unpreloaded sh -c '"$1" --prepare "test -z \"\$LD_PRELOAD\" && touch prep-clean" -- true && test -e prep-clean' sh "$JR"
check repeat-prepare-fails status 4 "$JR" --repeat 3 -o rep3 --prepare 'exit 4' -- true
check repeat-prepare-fails-no-run sh -c 'test -z "$(ls rep3)"'

# 7. Nothing left behind: joinrun killed by SIGPIPE while it prints its summary leaves no
# temporary log; a ring whose collector was killed (kill -9) and whose tree is gone is
# removed by the next joinrun, and one whose tree still runs is kept.
mkdir tmpd
for i in 1 2 3; do TMPDIR=$T/tmpd "$JR" --summary -- sh -c 'true; sleep 0.01; /bin/echo; ls >/dev/null' 2>&1 | head -1 >/dev/null; done
check sigpipe-no-temp test -z "$(ls tmpd)"
mkdir -m 700 xdg
# (A System V ring is the kernel's to remove: it goes with the last process that holds it.)
XDG_RUNTIME_DIR=$T/xdg "$JR" -o k.log -- sh -c 'echo "$JOIN_RING" >ring; while [ ! -e go ]; do sleep 0.1; done; touch gone' & jp=$!
sleep 0.3; kill -9 $jp; wait $jp 2>/dev/null
XDG_RUNTIME_DIR=$T/xdg "$JR" -o k1.log -- true
ring_there() { case $(cat ring) in sysv:*) ipcs -m -i "$(sed 's/^sysv://' ring)" 2>/dev/null | grep -q shmid= ;; *) test -n "$(ls xdg)" ;; esac; }
check ring-kept-while-tree-runs ring_there
touch go
for i in $(seq 100); do [ -e gone ] && break; sleep 0.1; done
sleep 0.5
XDG_RUNTIME_DIR=$T/xdg "$JR" -o k2.log -- true
check ring-removed-after-kill eval '! ring_there'
check ring-no-file-left test -z "$(ls xdg)"

# 8. A bad value is one warning for the tree, not one per process (README, libjoin(3)).
for v in JOIN_WATCH=yes JOIN_FORMAT=JSONL JOIN_ZOMBIE_MS=x; do
  rm -f w.log
  env LD_PRELOAD="$LIB" "$v" JOIN_LOG="$T/w.log" sh -c 'true; true; sh -c "sh -c true; true"' 2>/dev/null
  check "one-warning-${v%%=*}" test "$(grep -c "${v%%=*}" w.log)" = 1
done
n=$(env LD_PRELOAD="$LIB" JOIN_LOG=Off sh -c 'true; sh -c "sh -c true; true"' 2>&1 | grep -c 'JOIN_LOG=Off')
check one-warning-JOIN_LOG test "$n" = 1
check one-warning-marker sh -c 'env LD_PRELOAD="$1" JOIN_WATCH=yes JOIN_LOG=/dev/null sh -c "echo \$JOIN_WARNED" | grep -qx WATCH' sh "$LIB"

# 9. The smaller mismatches.
# -o /dev/null with --summary: refused up front, not "was libjoin loaded into /dev/null?".
check summary-devnull-refused status 2 "$JR" -o /dev/null --summary -- touch ran-null
check summary-devnull-nothing-ran test ! -e ran-null
check summary-devnull-message sh -c '"$1" -o /dev/null --summary -- true 2>&1 | grep -q "not a regular file"' sh "$JR"
# Plot labels with the precision the figure has: 0.65 ms from the log's ns, an upper bound.
printf '%s\n' '{"event":"fork","pid":1,"comm":"sh","t_ns":1000000000,"child":2,"how":"fork"}' \
  '{"event":"reap","pid":1,"comm":"sh","t_ns":1000650000,"child":2,"child_comm":"true","code":0,"real_ms":1,"exact":false}' >sub.jsonl
"$JR" --report sub.jsonl --plot sub.svg >/dev/null
check plot-label-precision grep -q '>ok ≤0.650 ms<' sub.svg
# --json keeps the longest critical-path stretches and says how many there were.
for i in $(seq 1 60); do
  s=$((1000000000 + i * 10000000))
  printf '{"event":"fork","pid":1,"comm":"make","t_ns":%d,"child":%d,"how":"fork"}\n' $s $((100 + i))
  printf '{"event":"reap","pid":1,"comm":"make","t_ns":%d,"child":%d,"child_comm":"cc","code":0,"exact":false}\n' $((s + 9000000)) $((100 + i))
done >crit.jsonl
"$JR" --report crit.jsonl crit.jsonl --json >crit.json
check json-critical-top python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["parallelism"]
c = p["critical_path"]
assert len(c) == 20 and p["critical_path_count"] > 100, (len(c), p["critical_path_count"])
assert all(a["end_ms"] <= b["start_ms"] for a, b in zip(c, c[1:])), "time order"' crit.json
# A log cut at a line boundary: said, not summarised as complete.
"$JR" -f jsonl -o whole.jsonl -- sh -c 'sleep 0.01; true'
head -n 2 whole.jsonl >cut.jsonl
check cut-log-warned sh -c '"$1" --report cut.jsonl 2>&1 >/dev/null | grep -q "ends before joinrun.s reap"' sh "$JR"
check whole-log-quiet sh -c 'test -z "$("$1" --report whole.jsonl 2>&1 >/dev/null)"' sh "$JR"
# The manual pages: no stray control character, JOIN_ZOMBIE_MS needs watch mode.
check man-no-control sh -c '! grep -q "$(printf "\f")" "$1"/man/joinrun.1 "$1"/man/libjoin.3' sh "$ROOT"
check man-zombie-ms-watch sh -c 'grep -A4 "^.B JOIN_ZOMBIE_MS" "$1"/man/libjoin.3 | grep -q "watch mode"' sh "$ROOT"
