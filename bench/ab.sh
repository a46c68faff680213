#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# ab.sh - before/after of one change: `bench/ab.sh LIB_A LIB_B MODE N [ROUNDS]` runs
# build/bench/work MODE N preloaded with each library (log to a file), interleaved,
# and prints the medians of wall and CPU time per cycle and of the B/A ratios.
set -eu
a=$1 b=$2 mode=$3 n=$4 rounds=${5:-9}
work=${WORK:-build/bench/work}
log=$(mktemp /tmp/ab.XXXXXX)
trap 'rm -f "$log"' EXIT
run() { rm -f "$log"; JOIN_LOG=$log LD_PRELOAD=$1 "$work" "$mode" "$n" | cut -d" " -f1,2; }
for ((i = 0; i < rounds; i++)); do
	if ((i % 2)); then x=$(run "$a"); y=$(run "$b"); else y=$(run "$b"); x=$(run "$a"); fi
	echo "$x $y"
done | awk '
function med(v, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
	if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
	return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2 }
{ k++; aw[k] = $1; ac[k] = $2; bw[k] = $3; bc[k] = $4; rw[k] = $3 / $1; rc[k] = $4 / $2 }
END { printf "wall us/cycle: A %.1f B %.1f (B/A %.3f)   cpu us/cycle: A %.1f B %.1f (B/A %.3f)\n",
	med(aw, k) / 1000, med(bw, k) / 1000, med(rw, k), med(ac, k) / 1000, med(bc, k) / 1000, med(rc, k) }'
