#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs each integration script; every script prints "ok NAME" / "not ok NAME"
# lines (see tests/integration/lib.sh).  Sums into "integration: N passed, N failed".
set -u
pass=0 fail=0
for t in "$@"; do
  out=$(timeout 600 bash "$t" 2>&1); rc=$?
  p=$(echo "$out" | grep -c '^ok ')
  f=$(echo "$out" | grep -c '^not ok ')
  if [ $rc != 0 ] && [ "$f" = 0 ]; then f=1; echo "$out" | tail -5; echo "not ok $t exited $rc"; fi
  echo "$out" | grep -E '^not ok ' -A3 | head -40
  echo "$(basename "$t"): $p passed, $f failed"
  pass=$((pass + p)) fail=$((fail + f))
done
echo "integration: $pass passed, $fail failed"
