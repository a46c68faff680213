#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# joinrun: --report (one and two logs, Markdown), --trace, --plot, malformed
# and unreadable logs on hand-written JSONL fixtures; then runs of real
# commands (exit status, usage, not found) and, once libjoin records its
# tree, --summary of a real tree.
. "$(dirname "$0")/lib.sh"
JR=$B/joinrun
if [ ! -x "$JR" ]; then echo "not ok joinrun-built # $JR missing: make $B/joinrun"; exit 1; fi

# tree LOG PCT: sh(100) -> make(101) -> { sh(102) -> sleep(103); sh(104) -> sleep(105) exits 2;
# cc(106) exits at once, zombie 1 s, reaped late; sleep(107) killed by SIGKILL; cc(108) left a
# zombie at make's exit }.  Times are scaled by PCT percent.
tree() {
  local f=$1 s=$2 b=1000000000000
  t() { echo $((b + $1 * 1000000 * s / 100)); }
  ms() { echo $(($1 * s / 100)); }
  ru='"maxrss_kb":2048,"minflt":90,"majflt":0,"inblock":0,"oublock":8,"nvcsw":3,"nivcsw":1'
  {
    echo '# libjoin: a human diagnostic, skipped'
    printf '{"event":"fork","pid":100,"comm":"sh","t_ns":%s,"child":101,"how":"vfork"}\n' "$(t 0)"
    printf '{"event":"fork","pid":101,"comm":"make","t_ns":%s,"child":102,"how":"fork"}\n' "$(t 10)"
    printf '{"event":"fork","pid":102,"comm":"sh","t_ns":%s,"child":103,"how":"vfork"}\n' "$(t 12)"
    printf '{"event":"reap","pid":102,"comm":"sh","t_ns":%s,"child":103,"child_comm":"sleep","tid":102,"call":"wait4","code":0,"core":false,"user_ms":0,"sys_ms":1,"real_ms":%s,"exact":false,"late_ms":null,"tracked":true,"approx":false,%s}\n' "$(t 212)" "$(ms 200)" "$ru"
    printf '{"event":"reap","pid":101,"comm":"make","t_ns":%s,"child":102,"child_comm":"sh","tid":101,"call":"waitpid","code":0,"core":false,"user_ms":1,"sys_ms":1,"real_ms":%s,"exact":false,"late_ms":null,"tracked":true,"approx":false,%s}\n' "$(t 214)" "$(ms 204)" "$ru"
    printf '{"event":"fork","pid":101,"comm":"make","t_ns":%s,"child":104,"how":"fork"}\n' "$(t 215)"
    printf '{"event":"fork","pid":104,"comm":"sh","t_ns":%s,"child":105,"how":"vfork"}\n' "$(t 216)"
    printf '{"event":"reap","pid":104,"comm":"sh","t_ns":%s,"child":105,"child_comm":"sleep","tid":104,"call":"wait4","code":0,"core":false,"user_ms":0,"sys_ms":0,"real_ms":%s,"exact":false,"late_ms":null,"tracked":true,"approx":false,%s}\n' "$(t 316)" "$(ms 100)" "$ru"
    printf '{"event":"reap","pid":101,"comm":"make","t_ns":%s,"child":104,"child_comm":"sh","tid":101,"call":"waitpid","code":2,"core":false,"user_ms":1,"sys_ms":0,"real_ms":%s,"exact":false,"late_ms":null,"tracked":true,"approx":false,%s}\n' "$(t 317)" "$(ms 102)" "$ru"
    printf '{"event":"fork","pid":101,"comm":"make","t_ns":%s,"child":106,"how":"fork"}\n' "$(t 320)"
    printf '{"event":"exit","pid":101,"comm":"make","t_ns":%s,"child":106,"code":0,"core":false,"exact":true}\n' "$(t 330)"
    printf '{"event":"zombie","pid":101,"comm":"make","t_ns":%s,"child":106,"child_comm":"cc & <co>","age_ms":%s}\n' "$(t 1330)" "$(ms 1000)"
    printf '{"event":"reap","pid":101,"comm":"make","t_ns":%s,"child":106,"child_comm":"cc & <co>","tid":101,"call":"waitpid","code":0,"core":false,"user_ms":5,"sys_ms":2,"real_ms":%s,"exact":true,"late_ms":%s,"tracked":true,"approx":false,"maxrss_kb":9216,"minflt":1,"majflt":0,"inblock":0,"oublock":0,"nvcsw":1,"nivcsw":1}\n' "$(t 1500)" "$(ms 10)" "$(ms 1170)"
    printf '{"event":"fork","pid":101,"comm":"make","t_ns":%s,"child":107,"how":"fork"}\n' "$(t 1501)"
    printf '{"event":"reap","pid":101,"comm":"make","t_ns":%s,"child":107,"child_comm":"sleep","tid":101,"call":"waitpid","signal":9,"core":false,"user_ms":0,"sys_ms":0,"real_ms":%s,"exact":false,"late_ms":null,"tracked":true,"approx":false,%s}\n' "$(t 1601)" "$(ms 100)" "$ru"
    printf '{"event":"fork","pid":101,"comm":"make","t_ns":%s,"child":108,"how":"fork"}\n' "$(t 1602)"
    printf '{"event":"exit","pid":101,"comm":"make","t_ns":%s,"child":108,"code":1,"core":false,"exact":true}\n' "$(t 1650)"
    printf '{"event":"report","pid":101,"comm":"make","t_ns":%s,"running":[],"zombies":[{"child":108,"child_comm":"cc & <co>","age_ms":%s}]}\n' "$(t 1699)" "$(ms 49)"
    printf '{"event":"reap","pid":100,"comm":"sh","t_ns":%s,"child":101,"child_comm":"make","tid":100,"call":"wait4","code":2,"core":false,"user_ms":9,"sys_ms":5,"real_ms":%s,"exact":false,"late_ms":null,"tracked":true,"approx":false,%s}\n' "$(t 1700)" "$(ms 1700)" "$ru"
    printf '{"event":"report","pid":100,"comm":"sh","t_ns":%s,"running":[],"zombies":[]}\n' "$(t 1701)"
  } >"$f"
}
tree "$T/a.jsonl" 100
tree "$T/b.jsonl" 50

# One log: the table names every command with its count.
"$JR" --report "$T/a.jsonl" >"$T/r1" 2>"$T/r1.err"; echo $? >"$T/r1.rc"
check report-one-exit test "$(cat "$T/r1.rc")" = 0
check report-one-quiet test ! -s "$T/r1.err"
check report-one-sleep grep -Eq '^sleep +3 ' "$T/r1"
check report-one-sh grep -Eq '^sh +2 ' "$T/r1"
check report-one-make grep -Eq '^make +1 ' "$T/r1"
# sleep: reals 200, 100, 100: mean 133.3, p50 100, max 200; 1 abnormal (SIGKILL).
check report-one-stats grep -Eq '^sleep +3 +133\.3 +100\.0 +200\.0 .* 1 +0 +0$' "$T/r1"
# cc: two processes, both zombies (a zombie event, a zombie at make's exit); one late.
check report-one-zombie grep -Eq '^cc & <co> +2 .* 1 +2 +2$' "$T/r1"
check report-one-abnormal-sh grep -Eq '^sh +2 .* 1 +0 +0$' "$T/r1"
check report-one-parallel grep -q 'wall time: 1.700 s' "$T/r1"
check report-one-peak grep -q 'running at once: .* 1 at the peak' "$T/r1"
# The critical path, walked back from make's end: cc(108), sleep(107), cc(106), sh(104) and
# its sleep, sh(102) and its sleep, with make's own time between them: 1236 ms of make.
check report-one-critical grep -q 'critical path (what the wall time waited on): 1.700 s' "$T/r1"
# Own CPU from the tree (the log has inclusive times only): make 14 ms less the 10 ms of
# the children it reaped (cc(108), never reaped, adds nothing and has none).
check report-one-critical-share grep -q 'by command (its share; processes; their own CPU): make 1.236 s (73%, 1, own cpu 4.0 ms), sleep 0.400 s (24%, 3, own cpu 1.0 ms), cc & <co> 0.058 s (3%, 2, own cpu ?), sh 0.006 s (0%, 2, own cpu 2.0 ms)$' "$T/r1"
check report-one-own-incl grep -Eq '^make +1 +1700.0 +1700.0 +1700.0 +2.0 +2.0 +14.0 ' "$T/r1"
check report-one-critical-order grep -q 'in order: make 10.0 ms → sh 2.0 ms → sleep 200.0 ms → sh 2.0 ms → make 1.0 ms → sh 1.0 ms → sleep 100.0 ms → sh 1.0 ms → make 3.0 ms → cc & <co> 10.0 ms → …$' "$T/r1"
check report-one-serial grep -Eq '^    [0-9.]+ s from 0.000 s: ' "$T/r1"

# Markdown: a table with a header separator and one row per command.
"$JR" --report "$T/a.jsonl" --markdown >"$T/md1"
check report-md-header grep -q '^| command | count | real mean |' "$T/md1"
check report-md-sep grep -q '^| :--- | ---: |' "$T/md1"
check report-md-row grep -q '^| sleep | 3 | 133.3 |' "$T/md1"

# Two logs: the ratio B/A of medians (the second ran at half the time); one run and three
# invocations a side are too few for an interval: none, and no mark.
"$JR" --report "$T/a.jsonl" "$T/b.jsonl" >"$T/r2" 2>&1
check report-two-header grep -q 'B/A  95% CI' "$T/r2"
check report-two-sleep grep -Eq '^sleep +3/1 +100\.0 +3/1 +50\.0 +0\.50 +- +too few +-$' "$T/r2"
check report-two-wall grep -Eq '^wall time +1/1 +1700\.0 +1/1 +850\.0 +0\.50 +- +too few +-$' "$T/r2"
check report-two-too-few grep -q 'too few runs to conclude for 6 of 6 rows' "$T/r2"
"$JR" --report "$T/a.jsonl" "$T/b.jsonl" --markdown >"$T/md2"
check report-two-md grep -q '^| sleep | 3/1 | 100.0 | 3/1 | 50.0 | 0.50 | - | too few | - |  |$' "$T/md2"

# A malformed line: named with its line number, the rest still summarised.
{ head -5 "$T/a.jsonl"; echo '{"event":"reap","pid":'; tail -n +6 "$T/a.jsonl"; } >"$T/bad.jsonl"
"$JR" --report "$T/bad.jsonl" >"$T/bad.out" 2>"$T/bad.err"; echo $? >"$T/bad.rc"
check malformed-message grep -q "^joinrun: $T/bad.jsonl:6: malformed JSON: " "$T/bad.err"
check malformed-one-message test "$(wc -l <"$T/bad.err")" = 1
check malformed-rest grep -Eq '^sleep +3 ' "$T/bad.out"
check malformed-exit test "$(cat "$T/bad.rc")" = 0

# An unreadable log: a clear error, exit 1.
"$JR" --report "$T/nonexistent.jsonl" >"$T/un.out" 2>"$T/un.err"; echo $? >"$T/un.rc"
check unreadable-exit test "$(cat "$T/un.rc")" = 1
check unreadable-message grep -q "joinrun: $T/nonexistent.jsonl: No such file or directory" "$T/un.err"
check report-no-log sh -c '"$1" --report >/dev/null 2>&1; test $? = 2' sh "$JR"

# --trace: Chrome trace JSON with X slices naming sleep, a zombie slice, process names.
"$JR" --report "$T/a.jsonl" --trace "$T/trace.json" >/dev/null
cat >"$T/trace.py" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
x = [e for e in ev if e["ph"] == "X"]
assert sum(1 for e in x if e["name"] == "sleep") == 3, "three sleep slices"
z = [e for e in x if e["name"] == "zombie"]
assert len(z) == 2 and any(abs(e["dur"] - 1170000) < 1 for e in z), z
names = {e["pid"]: e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "process_name"}
assert names[103] == "sleep" and names[101] == "make", names
assert min(e["ts"] for e in x) == 0, "relative to the first event"
k = [e for e in x if e["pid"] == 107][0]
assert k["args"]["exit"] == "SIGKILL" and k["args"]["signal"] == 9, k
assert all(e["tid"] == e["pid"] for e in ev), "one track per process"
EOF
check trace-valid python3 "$T/trace.py" "$T/trace.json"

# --plot: well-formed SVG (the comm "cc & <co>" escaped), renders to PNG.
"$JR" --report "$T/a.jsonl" --plot "$T/plot.svg" >/dev/null
check plot-xml xmllint --noout "$T/plot.svg"
check plot-escaped grep -q 'cc &amp; &lt;co&gt;' "$T/plot.svg"
check plot-png rsvg-convert -o "$T/plot.png" "$T/plot.svg"
check plot-bars grep -q '#e8553f' "$T/plot.svg"

# A thousand children: still well-formed, rows shrink, the SVG grows.
{
  for i in $(seq 1 1000); do
    s=$((1000000000 + i * 1000000))
    printf '{"event":"fork","pid":1,"comm":"make","t_ns":%d,"child":%d,"how":"fork"}\n' $s $((1000 + i))
    printf '{"event":"reap","pid":1,"comm":"make","t_ns":%d,"child":%d,"child_comm":"cc%d","tid":1,"call":"wait4","code":%d,"core":false,"user_ms":1,"sys_ms":1,"real_ms":%d,"exact":false,"late_ms":null,"tracked":true,"approx":false}\n' \
      $((s + (i % 7 + 1) * 3000000)) $((1000 + i)) $((i % 5)) $((i % 13 == 0)) $(((i % 7 + 1) * 3))
  done
} >"$T/big.jsonl"
"$JR" --report "$T/big.jsonl" --plot "$T/big.svg" >"$T/big.out"
check plot-1000-xml xmllint --noout "$T/big.svg"
check plot-1000-png rsvg-convert -o "$T/big.png" "$T/big.svg"
check plot-1000-height sh -c 'h=$(sed -n "s/.*<svg[^>]* height=\"\([0-9]*\)\".*/\1/p" "$1"); test "$h" -gt 8000' sh "$T/big.svg"
check plot-1000-peak grep -Eq 'running at once: .* ([3-9]|[1-9][0-9]) at the peak' "$T/big.out"

# Running commands: usage, not found, exit status (these need the library to exist).
check usage-exit sh -c '"$1" >/dev/null 2>&1; test $? = 2' sh "$JR"
check usage-message sh -c '"$1" 2>&1 | grep -q "^usage: joinrun"' sh "$JR"
check summary-await sh -c '"$1" -f await --summary -- true 2>&1 | grep -q "needs -f jsonl"; "$1" -f await --summary -- true 2>/dev/null; test $? = 2' sh "$JR"
if [ -e "$LIB" ]; then
  check not-found sh -c '"$1" -- no-such-command-xyz 2>"$2"; test $? = 127' sh "$JR" "$T/nf"
  check not-found-message grep -qx 'joinrun: no-such-command-xyz: No such file or directory' "$T/nf"
  check exit-status sh -c '"$1" -- sh -c "exit 3"; test $? = 3' sh "$JR"
  check exit-signal sh -c '"$1" -- sh -c "kill -TERM \$\$"; test $? = 143' sh "$JR"
  check preload-set sh -c 'LD_PRELOAD= "$1" -o /dev/null -- sh -c "echo \$LD_PRELOAD" | grep -q "libjoin.so$"' sh "$JR"
  check log-absolute sh -c 'cd "$2" && "$1" -o rel.log -f jsonl -- sh -c "echo \$JOIN_LOG \$JOIN_FORMAT" | grep -qx "$2/rel.log jsonl"' sh "$JR" "$T"
  check stdout-clean sh -c 'test "$("$1" --summary -- echo hi 2>/dev/null)" = hi' sh "$JR"
  # The tree's own records: counted only once libjoin writes JSONL.
  "$JR" --summary -f jsonl -o "$T/real.jsonl" -- sh -c 'for i in 1 2 3 4; do sleep 0.05; done; /bin/false; true' 2>"$T/real.sum"
  if grep -q '"event":"reap","pid":[0-9]*,"comm":"sh"' "$T/real.jsonl" 2>/dev/null; then
    check real-sleep grep -Eq '^sleep +4 ' "$T/real.sum"
    check real-false grep -Eq '^false +1 .* 1 +0 +0$' "$T/real.sum"
    check real-root grep -Eq '^sh +1 ' "$T/real.sum"
    check real-report sh -c '"$1" --report "$2" | grep -Eq "^sleep +4 "' sh "$JR" "$T/real.jsonl"
    "$JR" --trace "$T/real.trace" --plot "$T/real.svg" -- sh -c 'sleep 0.1 & sleep 0.05; wait' 2>/dev/null
    check real-trace python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert sum(e["name"]=="sleep" and e["ph"]=="X" for e in d["traceEvents"])==2' "$T/real.trace"
    check real-plot xmllint --noout "$T/real.svg"
    "$JR" --summary -- sh -c 'sleep 0.2 & sleep 0.2 & wait' 2>"$T/par.sum"
    check real-parallel grep -q 'running at once: 1\.[6-9][0-9] on average, 2 at the peak' "$T/par.sum"
    check real-parallel-sleep grep -Eq '^sleep +2 ' "$T/par.sum"
    # A child left unreaped at its parent's exit: a zombie and a late reap.
    "$JR" --summary --markdown -- perl -e 'fork or exit 0; select undef, undef, undef, 0.1' 2>"$T/zom.sum"
    check real-zombie grep -q '^| perl | 2 | .* | 0 | 1 | 1 |$' "$T/zom.sum"
  else
    for n in real-sleep real-false real-root real-report real-trace real-plot real-parallel real-parallel-sleep real-zombie; do echo "ok $n # skip: libjoin writes no JSONL reaps yet"; done
  fi
  check temp-removed sh -c 'd=$(mktemp -d); TMPDIR=$d "$1" --summary -- true 2>/dev/null; test -z "$(ls -A "$d")" && rmdir "$d"' sh "$JR"
else
  for n in not-found not-found-message exit-status exit-signal preload-set log-absolute stdout-clean \
    real-sleep real-false real-root real-report real-trace real-plot real-parallel real-parallel-sleep real-zombie temp-removed; do
    echo "ok $n # skip: $LIB not built"
  done
fi
