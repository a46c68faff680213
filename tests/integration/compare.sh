#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# joinrun's benchmark comparisons: --report over two directories of runs (ratio of
# medians, bootstrap interval, marks only where it excludes 1), --json, --repeat,
# and --argv's exec events (short and long command lines, ring and direct path).
. "$(dirname "$0")/lib.sh"
JR=$B/joinrun
if [ ! -x "$JR" ]; then echo "not ok joinrun-built # $JR missing: make $B/joinrun"; exit 1; fi

# run FILE SLEEP_MS CC_MS: sh(100) runs sleep(101) then cc(102), one after the other.
run() {
  local f=$1 a=$2 c=$3 b=1000000000000
  t() { echo $((b + $1 * 1000000)); }
  reap='"tid":100,"call":"wait4","code":0,"core":false,"user_ms":0,"sys_ms":0,"exact":false,"late_ms":null,"tracked":true,"approx":false'
  {
    printf '{"event":"fork","pid":100,"comm":"sh","t_ns":%s,"child":101,"how":"fork"}\n' "$(t 0)"
    printf '{"event":"exec","pid":101,"comm":"sleep","t_ns":%s,"argv":["sleep","x"],"argv_truncated":false}\n' "$(t 0)"
    printf '{"event":"reap","pid":100,"comm":"sh","t_ns":%s,"child":101,"child_comm":"sleep","real_ms":%s,%s}\n' "$(t "$a")" "$a" "$reap"
    printf '{"event":"fork","pid":100,"comm":"sh","t_ns":%s,"child":102,"how":"fork"}\n' "$(t $((a + 1)))"
    printf '{"event":"exec","pid":102,"comm":"cc","t_ns":%s,"argv":["cc","-c","y.c"],"argv_truncated":false}\n' "$(t $((a + 1)))"
    printf '{"event":"reap","pid":100,"comm":"sh","t_ns":%s,"child":102,"child_comm":"cc","real_ms":%s,%s}\n' "$(t $((a + 1 + c)))" "$c" "$reap"
  } >"$f"
}
mkdir "$T/a" "$T/b" "$T/c"
i=0; for s in 100 102 98 101 99; do i=$((i + 1)); run "$T/a/run-$i.jsonl" $s $((49 + i % 3)); done
i=0; for s in 50 51 49 52 48; do i=$((i + 1)); run "$T/b/run-$i.jsonl" $s $((50 + (i + 1) % 3 - 1)); done
i=0; for s in 50 51; do i=$((i + 1)); run "$T/c/run-$i.jsonl" $s 50; done

# sleep halved: the interval excludes 1, marked; cc unchanged: 1.00, not marked.
"$JR" --report "$T/a" "$T/b" >"$T/ab" 2>&1; echo $? >"$T/ab.rc"
check sets-exit test "$(cat "$T/ab.rc")" = 0
check sets-header grep -q 'A: .*/a (5 runs), B: .*/b (5 runs)' "$T/ab"
check sets-sleep grep -Eq '^sleep +5/5 +100\.0 +5/5 +50\.0 +0\.50 +0\.[0-9]+–0\.[0-9]+ +runs +0\.0[0-4][0-9] +faster$' "$T/ab"
check sets-cc grep -Eq '^cc +5/5 +50\.0 +5/5 +50\.0 +1\.00 +0\.[0-9]+–1\.[0-9]+ +runs +(0\.[1-9]|1\.0)[0-9]* +~$' "$T/ab"
check sets-wall grep -Eq '^wall time +5/5 +151\.0 +5/5 +101\.0 +0\.67 .* runs +0\.0[0-4][0-9] +faster$' "$T/ab"
check sets-cpu-unknown grep -Eq '^total CPU +0/0 +- +0/0 +- +- +- +unknown +-$' "$T/ab"
check sets-geomean grep -Eq '^geomean +0\.71$' "$T/ab"
check sets-lines grep -q 'command lines that changed most' "$T/ab"
check sets-line-sleep grep -Eq '^sleep x +5/5 .* faster$' "$T/ab"
check sets-note grep -q 'Holm-corrected across the 3 tested rows' "$T/ab"
check sets-note-count grep -q '0 slower, 2 faster' "$T/ab"
# The same data, the same interval: the seed is fixed.
"$JR" --report "$T/a" "$T/b" >"$T/ab2" 2>&1
check sets-reproducible cmp -s "$T/ab" "$T/ab2"
# Two runs against five: too few to conclude, said so, nothing marked.
"$JR" --report "$T/a" "$T/c" >"$T/ac" 2>&1
check sets-too-few grep -Eq '^sleep +5/5 +100\.0 +2/2 +50\.5 +0\.51 +- +too few +-$' "$T/ac"
check sets-too-few-note grep -q 'too few runs to conclude for' "$T/ac"
"$JR" --report "$T/a" "$T/b" --json >"$T/ab.json"
check json-comparison python3 - "$T/ab.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = {x["command"]: x for x in d["comparison"]}
s, k = c["sleep"], c["cc"]
assert s["significant"] is True and s["ci_high"] < 1 and abs(s["ratio"] - 0.5) < 0.01, s
assert k["significant"] is False and k["ci_low"] <= 1 <= k["ci_high"], k
assert d["sets"][0]["runs"] == 5 and d["method"]["resamples"] == 10000, d["method"]
cmd = {x["command"]: x for x in d["commands"]}
assert cmd["sleep"]["count"] == 5 and cmd["sleep"]["real_ms"]["median"] == 100, cmd
assert cmd["sleep"]["real_ms"]["min"] == 98 and cmd["sleep"]["real_ms"]["max"] == 102, cmd
p = d["parallelism"]
assert [x["comm"] for x in p["critical_path"]] == ["sleep", "sh", "cc"], p
assert len(p["wall_ms_runs"]) == 5 and "after" in d, p
assert any(x["command"] == "cc -c y.c" for x in d["command_lines"]), d["command_lines"]
PY
"$JR" --report "$T/a" "$T/c" --json >"$T/ac.json"
check json-too-few python3 -c 'import json,sys; c={x["command"]:x for x in json.load(open(sys.argv[1]))["comparison"]}; s=c["sleep"]; assert s["ci_low"] is None and s["significant"] is False and s["basis"]=="too few", s' "$T/ac.json"
"$JR" --report "$T/a" "$T/b" --markdown >"$T/ab.md"
check sets-markdown grep -Eq '^\| sleep \| 5/5 \| 100\.0 \| 5/5 \| 50\.0 \| 0\.50 \| .* \| runs \| 0\.[0-9]+ \| faster \|$' "$T/ab.md"
"$JR" --report "$T/a" >"$T/a1" 2>&1
check set-one grep -q 'wall time of 5 runs: median' "$T/a1"
check set-one-count grep -Eq '^sleep +5 ' "$T/a1"
: >"$T/empty.jsonl"; mkdir "$T/none"
"$JR" --report "$T/none" "$T/a" >/dev/null 2>"$T/none.err"; echo $? >"$T/none.rc"
check set-empty-dir test "$(cat "$T/none.rc")" = 1
check set-empty-dir-msg grep -q 'no logs in the directory' "$T/none.err"

# --repeat: one log per run in a new directory; bad counts and places refused.
"$JR" --repeat 3 -o "$T/r" -- sh -c 'sleep 0.01' 2>"$T/r.err"; echo $? >"$T/r.rc"
check repeat-exit test "$(cat "$T/r.rc")" = 0
check repeat-logs test "$(ls "$T/r" | tr '\n' ' ')" = "run-1.jsonl run-2.jsonl run-3.jsonl "
check repeat-quiet test ! -s "$T/r.err"
check repeat-each grep -q '"child_comm":"sleep"' "$T/r/run-3.jsonl"
"$JR" --repeat 3 -o "$T/r" -- true 2>"$T/r2.err"; echo $? >"$T/r2.rc"
check repeat-not-empty test "$(cat "$T/r2.rc")" = 2
check repeat-not-empty-msg grep -q 'not empty' "$T/r2.err"
for bad in 0 -1 x 1e3 100001; do
  "$JR" --repeat "$bad" -o "$T/q" -- true 2>/dev/null; echo $? >"$T/q.rc"
  check "repeat-bad-$bad" test "$(cat "$T/q.rc")" = 2
done
"$JR" --repeat 2 -- true 2>/dev/null; echo $? >"$T/q.rc"
check repeat-needs-dir test "$(cat "$T/q.rc")" = 2
"$JR" --repeat 2 -o "$T/s" --export-json "$T/s.json" -- sh -c 'sleep 0.01' 2>/dev/null >/dev/null
check repeat-summary-json python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["sets"][0]["runs"]==2 and any(c["command"]=="sleep" for c in d["commands"])' "$T/s.json"
"$JR" --repeat 3 -o "$T/f" -- sh -c 'exit 3' 2>"$T/f.err"; echo $? >"$T/f.rc"
check repeat-stops test "$(cat "$T/f.rc")" = 3 -a "$(ls "$T/f" | wc -l)" = 1
check repeat-stops-msg grep -q 'run 1 of 3 exited 3' "$T/f.err"

# --argv: the exec event; a long line fills one ring slot and says so; the direct path
# (no collector) writes it whole; the await stream has none.
long=$(printf 'x%.0s' $(seq 1 300))
"$JR" --argv -o "$T/v.log" -- sh -c "sleep 0.01; /bin/echo $long >/dev/null"
check argv-short python3 - "$T/v.log" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert any(e["event"] == "exec" and e["argv"] == ["sleep", "0.01"] and e["argv_truncated"] is False for e in ev), ev
PY
check argv-long-ring python3 - "$T/v.log" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
e = [e for e in ev if e["event"] == "exec" and e["comm"] == "echo"][0]
assert e["argv"] == ["/bin/echo"] and e["argv_truncated"] is True, e
PY
JOIN_ARGV=1 JOIN_FORMAT=jsonl JOIN_LOG=$T/d.log LD_PRELOAD=$LIB sh -c "/bin/echo $long >/dev/null"
check argv-long-direct python3 - "$T/d.log" "$long" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
e = [e for e in ev if e["event"] == "exec" and e["comm"] == "echo"][0]
assert e["argv"] == ["/bin/echo", sys.argv[2]] and e["argv_truncated"] is False, e
PY
JOIN_ARGV=1 JOIN_LOG=$T/w.log LD_PRELOAD=$LIB sh -c 'sleep 0.01'
check argv-await-none test "$(grep -c exec "$T/w.log")" = 0
"$JR" -f jsonl -o "$T/n.log" -- sh -c 'sleep 0.01'
check argv-not-asked test "$(grep -c '"exec"' "$T/n.log")" = 0
"$JR" --argv -f await -- true 2>"$T/aw.err"; echo $? >"$T/aw.rc"
check argv-await-refused test "$(cat "$T/aw.rc")" = 2
JOIN_ARGV=maybe "$JR" -- true 2>"$T/bad.err"; echo $? >"$T/bad.rc"
check argv-bad-value test "$(cat "$T/bad.rc")" = 2
check argv-bad-value-msg grep -q 'JOIN_ARGV=maybe' "$T/bad.err"
"$JR" --argv --summary -- sh -c 'sleep 0.01' 2>"$T/sum"
check argv-summary grep -Eq '^sleep +1 ' "$T/sum"
# A command that itself exits 127 ran: its tree is still summarised.
"$JR" --summary -- sh -c 'sleep 0.01; exit 127' 2>"$T/e127"; echo $? >"$T/e127.rc"
check exit-127-status test "$(cat "$T/e127.rc")" = 127
check exit-127-summary grep -Eq '^sleep +1 ' "$T/e127"
