#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bench/verdict.sh - how often joinrun's verdict is wrong on this machine: the false-alarm
# rate of --fail-if-slower over A/A comparisons (the same command on both sides), and the
# smallest slowdown it detects with 10 runs a side.  Every comparison is interleaved
# (--repeat N -- A --vs B).  Usage: bench/verdict.sh [BUILD_DIR] [PAIRS] [RUNS]
set -u
B=${1:-build} PAIRS=${2:-20} RUNS=${3:-10}
JR=$B/joinrun
T=$(mktemp -d /tmp/verdict.XXXXXX)
trap 'rm -rf "$T"' EXIT
# A CPU-bound shell loop of about 20 ms; a slowdown of s% is s% more iterations.
loop() { echo "i=0; while [ \$i -lt $1 ]; do i=\$((i+1)); done"; }
BASE=20000
# pair NAME ITERS_A ITERS_B: 1 when the gate (any supported slowdown) fails, else 0.
pair() {
  "$JR" --repeat "$RUNS" -o "$T/$1" -- sh -c "$(loop "$2")" --vs sh -c "$(loop "$3")" \
    >/dev/null 2>&1 || { echo "joinrun --vs failed" >&2; exit 1; }
  "$JR" --report "$T/$1/a" "$T/$1/b" --fail-if-slower 0 >/dev/null 2>&1
  [ $? = 1 ] && echo 1 || echo 0
}
alarms=0
for i in $(seq "$PAIRS"); do
  alarms=$((alarms + $(pair "aa$i" $BASE $BASE)))
done
echo "A/A comparisons: $PAIRS, $RUNS runs a side, interleaved: $alarms failed the gate" \
  "(false-alarm rate $(awk -v a=$alarms -v n="$PAIRS" 'BEGIN{printf "%.0f%%", 100*a/n}'))"
printf '%-10s %s\n' slowdown "detected (of 3)"
smallest=none
for pct in 1 2 5 10 20 50; do
  hit=0
  for k in 1 2 3; do
    hit=$((hit + $(pair "s${pct}_$k" $BASE $((BASE + BASE * pct / 100)))))
  done
  printf '%-10s %d\n' "+$pct%" "$hit"
  [ "$smallest" = none ] && [ $hit = 3 ] && smallest="+$pct%"
done
echo "smallest slowdown detected in 3 of 3 comparisons at $RUNS runs a side: $smallest"
