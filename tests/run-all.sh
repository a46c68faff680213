#!/usr/bin/env bash
# Runs the unit tests, then the integration tests, and prints one closing line
# "N passed, N failed" over both.
set -u
here=$(cd "$(dirname "$0")" && pwd)
u=$("$here/run-unit.sh" $1 | tee /dev/stderr | tail -1)
i=$("$here/run-integration.sh" $2 | tee /dev/stderr | tail -1)
p=$(( $(echo "$u" | awk '{print $2}') + $(echo "$i" | awk '{print $2}') ))
f=$(( $(echo "$u" | awk '{print $4}') + $(echo "$i" | awk '{print $4}') ))
echo "all: $p passed, $f failed"
[ "$f" = 0 ]
