#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs the unit tests, then the integration tests, and prints one closing line
# "N passed, N failed" over both.
set -u
here=$(cd "$(dirname "$0")" && pwd)
# Each part's lines go to stdout as they come and are kept for the sums: no tee to
# /dev/stderr, which reopens (and truncates) a file that stderr was sent to.
out=$(mktemp) || exit 1
trap 'rm -f "$out"' EXIT
"$here/run-unit.sh" $1 | tee "$out"
u=$(tail -1 "$out")
"$here/run-integration.sh" $2 | tee "$out"
i=$(tail -1 "$out")
p=$(( $(echo "$u" | awk '{print $2}') + $(echo "$i" | awk '{print $2}') ))
f=$(( $(echo "$u" | awk '{print $4}') + $(echo "$i" | awk '{print $4}') ))
echo "all: $p passed, $f failed"
[ "$f" = 0 ]
