#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs cmocka test binaries; sums their counts into "unit: N passed, N failed".
set -u
pass=0 fail=0
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  p=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  p=${p:-0} f=${f:-0}
  if [ $rc != 0 ] && [ "$f" = 0 ]; then f=1; fi   # a crash counts as a failure
  [ "$f" = 0 ] || { echo "$out" | grep -E 'FAIL|ERROR|error|Assert' | head -20; echo "FAILED: $t"; }
  pass=$((pass + p)) fail=$((fail + f))
done
echo "unit: $pass passed, $fail failed"
