#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# joinrun's verdict: --report A B tests each row (Mann–Whitney, Holm), --fail-if-slower
# gates on a supported slowdown only, --metric chooses the measure, GitHub's job summary
# and annotations get the result, and --repeat -- A --vs B interleaves two commands.
. "$(dirname "$0")/lib.sh"
JR=$B/joinrun

# run FILE SLEEP_MS CC_MS [START_S]: sh(100) runs sleep(101) then cc(102) (as compare.sh's).
run() {
  local f=$1 a=$2 c=$3 b=$((1000000000000 + ${4:-0} * 1000000000))
  t() { echo $((b + $1 * 1000000)); }
  reap='"tid":100,"call":"wait4","code":0,"core":false,"user_ms":1,"sys_ms":0,"exact":false,"late_ms":null,"tracked":true,"approx":false'
  {
    printf '{"event":"fork","pid":100,"comm":"sh","t_ns":%s,"child":101,"how":"fork"}\n' "$(t 0)"
    printf '{"event":"reap","pid":100,"comm":"sh","t_ns":%s,"child":101,"child_comm":"sleep","real_ms":%s,%s}\n' "$(t "$a")" "$a" "$reap"
    printf '{"event":"fork","pid":100,"comm":"sh","t_ns":%s,"child":102,"how":"fork"}\n' "$(t $((a + 1)))"
    printf '{"event":"reap","pid":100,"comm":"sh","t_ns":%s,"child":102,"child_comm":"cc","real_ms":%s,%s}\n' "$(t $((a + 1 + c)))" "$c" "$reap"
  } >"$f"
}
mkdir "$T/a" "$T/b" "$T/a2"
i=0; for s in 100 102 98 101 99 103; do i=$((i + 1)); run "$T/a/run-$i.jsonl" $s $((49 + i % 3)); done
i=0; for s in 101 99 100 103 98 102; do i=$((i + 1)); run "$T/a2/run-$i.jsonl" $s $((50 - i % 3)); done
i=0; for s in 200 204 196 202 198 201; do i=$((i + 1)); run "$T/b/run-$i.jsonl" $s $((50 + i % 2)); done

# B's sleep twice as slow: the gate at 10% fails and names it; at 150% it holds.
"$JR" --report "$T/a" "$T/b" --fail-if-slower 10 >"$T/ab" 2>"$T/ab.err"; echo $? >"$T/ab.rc"
check gate-fails test "$(cat "$T/ab.rc")" = 1
check gate-names grep -Eq '^joinrun: regression: sleep \(real time\): B/A 2\.00 .*beyond \+10%$' "$T/ab.err"
check gate-not-cc bash -c "! grep -q 'regression: cc' '$T/ab.err'"
check gate-table grep -Eq '^sleep +6/6 +100\.5 +6/6 +200\.5 +2\.00 .* runs +0\.0[0-4][0-9] +slower$' "$T/ab"
"$JR" --report "$T/a" "$T/b" --fail-if-slower 150 >/dev/null 2>"$T/ab150.err"; echo $? >"$T/ab150.rc"
check gate-threshold test "$(cat "$T/ab150.rc")" = 0
# No gate: the report alone never fails on a change.
"$JR" --report "$T/a" "$T/b" >/dev/null 2>&1; echo $? >"$T/nogate.rc"
check gate-off test "$(cat "$T/nogate.rc")" = 0
# A against a set of the same: no change supported, no failure; an improvement passes.
"$JR" --report "$T/a" "$T/a2" --fail-if-slower 0 >"$T/aa" 2>&1; echo $? >"$T/aa.rc"
check gate-aa test "$(cat "$T/aa.rc")" = 0
check gate-aa-tilde grep -Eq '^sleep .* +~$' "$T/aa"
"$JR" --report "$T/b" "$T/a" --fail-if-slower 0 >/dev/null 2>&1; echo $? >"$T/ba.rc"
check gate-improvement test "$(cat "$T/ba.rc")" = 0
# One run a side: no verdict, and it says why.
"$JR" --report "$T/a/run-1.jsonl" "$T/b/run-1.jsonl" --fail-if-slower 10 >"$T/one" 2>&1; echo $? >"$T/one.rc"
check gate-too-few test "$(cat "$T/one.rc")" = 0
check gate-too-few-says grep -q 'no verdict: too few runs' "$T/one"

# --json: p, q, significant, change per row; the tree's rows; the summary.
"$JR" --report "$T/a" "$T/b" --json >"$T/ab.json"
check json-verdict python3 - "$T/ab.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = {x["command"]: x for x in d["comparison"]}
s, k = c["sleep"], c["cc"]
# 6 against 6 without ties, entirely apart: the exact two-sided p is 2/C(12,6)
assert abs(s["p_value"] / (2 / 924) - 1) < 1e-5, s
assert s["p_value"] <= s["q_value"] <= 1 and s["significant"] is True and s["change"] == "slower", s
assert k["significant"] is False and k["change"] == "~", k
t = {x["command"]: x for x in d["tree"]}
assert t["wall time"]["change"] == "slower" and t["wall time"]["in_verdict"] is True, t
assert t["total CPU"]["basis"] == "unknown" and t["total CPU"]["change"] is None, t
assert t["total CPU"]["in_verdict"] is False and s["in_verdict"] is True, t
sm = d["summary"]
assert sm["regressions"] == 2 and sm["improvements"] == 0 and sm["tested"] == 3, sm
assert abs(sm["geomean_ratio"] - (2.0 * c["cc"]["ratio"]) ** 0.5) < 0.01, sm
PY

# --metric: CPU is the same on both sides (1 ms each): no change, no failure; maxrss is
# in neither log: unknown, never a verdict.
"$JR" --report "$T/a" "$T/b" --metric cpu --fail-if-slower 0 >"$T/cpu" 2>&1; echo $? >"$T/cpu.rc"
check metric-cpu test "$(cat "$T/cpu.rc")" = 0
check metric-cpu-header grep -q 'CPU time (user+sys, inclusive) per command, ms' "$T/cpu"
"$JR" --report "$T/a" "$T/b" --metric maxrss >"$T/rss" 2>&1
check metric-rss-unknown grep -Eq '^sleep +0/0 +- +0/0 +- +- +- +unknown +-$' "$T/rss"
for bad in "--metric wall" "--fail-if-slower -5" "--fail-if-slower 5x" "--fail-if-slower nan"; do
  # shellcheck disable=SC2086
  "$JR" --report "$T/a" "$T/b" $bad >/dev/null 2>"$T/bad.err"; echo $? >"$T/bad.rc"
  check "bad-option ${bad// /=}" test "$(cat "$T/bad.rc")" = 2
done
"$JR" --report "$T/a" --fail-if-slower 5 >/dev/null 2>"$T/one-set.err"; echo $? >"$T/one-set.rc"
check gate-needs-two test "$(cat "$T/one-set.rc")" = 2
check gate-needs-two-says grep -q 'need two sets' "$T/one-set.err"

# Interleaved runs (A1 B1 A2 B2 ... in time) are pairs: B 10% slower than A in every pair,
# under a drift that triples both halfway.  Unpaired, the drift hides the change; paired,
# the signed-rank test sees it.
mkdir "$T/pa" "$T/pb"
for i in 1 2 3 4 5 6 7 8; do
  s=$((i <= 4 ? 100 + i : 300 + i)); run "$T/pa/run-$i.jsonl" $s 50 $((i * 20))
  run "$T/pb/run-$i.jsonl" $((s * 11 / 10 + i % 3)) 50 $((i * 20 + 10))
done
"$JR" --report "$T/pa" "$T/pb" --fail-if-slower 5 >"$T/pab" 2>"$T/pab.err"; echo $? >"$T/pab.rc"
check paired-gate test "$(cat "$T/pab.rc")" = 1
check paired-row grep -Eq '^sleep +8/8 .* pairs +0\.0[0-4][0-9] +slower$' "$T/pab"
check paired-note grep -q 'Wilcoxon signed-rank over those pairs' "$T/pab"
# Five pairs: the signed-rank test can never reach 5% (2/2^5), and the gate says so.
mkdir "$T/pa5" "$T/pb5"
for i in 1 2 3 4 5; do cp "$T/pa/run-$i.jsonl" "$T/pa5/"; cp "$T/pb/run-$i.jsonl" "$T/pb5/"; done
"$JR" --report "$T/pa5" "$T/pb5" --fail-if-slower 5 >"$T/p5" 2>"$T/p5.err"; echo $? >"$T/p5.rc"
check paired-weak test "$(cat "$T/p5.rc")" = 0
check paired-weak-says grep -Eq 'a weak verdict: too few runs to support a change \(at least [0-9]+ runs a side' "$T/p5.err"
check paired-weak-note grep -q 'cannot show a change at all' "$T/p5"
# The same logs, not alternating in time (B's runs all after A's): unpaired, no verdict.
mkdir "$T/pc"
for i in 1 2 3 4 5 6 7 8; do cp "$T/pb/run-$i.jsonl" "$T/pc/"; done
sed -i 's/"t_ns":1/"t_ns":9/' "$T"/pc/*.jsonl
"$JR" --report "$T/pa" "$T/pc" --fail-if-slower 5 >"$T/pac" 2>&1; echo $? >"$T/pac.rc"
check unpaired-no-gate test "$(cat "$T/pac.rc")" = 0
check unpaired-row grep -Eq '^sleep +8/8 .* runs +[0-9.]+ +~$' "$T/pac"

# GitHub: the job summary gets the Markdown, changed rows first; annotations on stdout.
: >"$T/summary.md"
GITHUB_STEP_SUMMARY=$T/summary.md GITHUB_ACTIONS=true "$JR" --report "$T/a" "$T/b" \
  --fail-if-slower 10 >"$T/gha" 2>/dev/null
check summary-table grep -Eq '^\| sleep \| 6/6 .* \| slower \|$' "$T/summary.md"
check summary-changed-first test "$(grep -n '^| sleep ' "$T/summary.md" | cut -d: -f1)" -lt \
  "$(grep -n '^| cc ' "$T/summary.md" | cut -d: -f1)"
check summary-total-after test "$(grep -n '^| sleep ' "$T/summary.md" | cut -d: -f1)" -lt \
  "$(grep -n '^| total CPU ' "$T/summary.md" | cut -d: -f1)"
check annotation-error grep -Eq '^::error title=joinrun: real time slower::sleep: B/A 2\.00 ' "$T/gha"
check annotation-tree grep -Eq '^::error title=joinrun: the tree slower::wall time: ' "$T/gha"
# A summary near GitHub's 1 MiB: cut at a line, and said so.
head -c $((1048576 - 600)) /dev/zero | tr '\0' 'x' >"$T/full.md"
GITHUB_STEP_SUMMARY=$T/full.md "$JR" --report "$T/a" "$T/b" >/dev/null 2>&1
check summary-limit test "$(stat -c %s "$T/full.md")" -le 1048576
check summary-cut grep -q 'more lines left out: a job summary holds at most 1 MiB' "$T/full.md"
check summary-cut-line bash -c "tail -c +$((1048576 - 599)) '$T/full.md' | grep -v 'left out' | grep -qv '^|.*[^|]\$'"
GITHUB_STEP_SUMMARY=$T/nodir/s.md "$JR" --report "$T/a" "$T/b" >/dev/null 2>"$T/nodir.err"; echo $? >"$T/nodir.rc"
check summary-unwritable test "$(cat "$T/nodir.rc")" = 1
check summary-unwritable-says grep -q "GITHUB_STEP_SUMMARY $T/nodir/s.md: No such file" "$T/nodir.err"

# --vs: A and B alternately, N each, into DIR/a and DIR/b, after unlogged warm-ups.
"$JR" --warmup 2 --repeat 3 -o "$T/vs" -- sh -c 'sleep 0.01' --vs sh -c 'sleep 0.03' \
  >/dev/null 2>"$T/vs.err"; echo $? >"$T/vs.rc"
check vs-exit test "$(cat "$T/vs.rc")" = 0
check vs-logs test "$(cd "$T/vs" && ls a b | tr '\n' ' ')" = "a: run-1.jsonl run-2.jsonl run-3.jsonl  b: run-1.jsonl run-2.jsonl run-3.jsonl "
check vs-order test "$(cd "$T/vs" && ls -tr a/* b/* | cut -c1 | tr -d '\n')" = ababab
check vs-a grep -q '"child_comm":"sleep"' "$T/vs/a/run-1.jsonl"
check vs-compared grep -q 'A: .*/vs/a (3 runs), B: .*/vs/b (3 runs)' "$T/vs.err"
check vs-report "$JR" --report "$T/vs/a" "$T/vs/b"
"$JR" --repeat 2 -o "$T/vs2" -- true --vs >/dev/null 2>"$T/vs2.err"; echo $? >"$T/vs2.rc"
check vs-empty-b test "$(cat "$T/vs2.rc")" = 2
"$JR" --warmup 1 -- true >/dev/null 2>&1; echo $? >"$T/wu.rc"
check warmup-needs-repeat test "$(cat "$T/wu.rc")" = 2
# Without --repeat, --vs is an argument of CMD like any other.
"$JR" -o "$T/lone.log" -- sh -c 'echo "$1"' sh --vs >"$T/lone.out" 2>&1
check vs-lone-arg grep -qx -- '--vs' "$T/lone.out"
