#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Plan 9 API from C linked with -ljoin and from Python under LD_PRELOAD (the examples).
. "$(dirname "$0")/lib.sh"
JOIN_LOG=$T/c.log "$B/examples/await" >"$T/c.out" 2>&1
check "C: await returns the first child's record" grep -Eq "^await: [0-9]+ [0-9]+ [0-9]+ [0-9]+ ''\$" "$T/c.out"
check "C: wait parses exit code and signal" sh -c "grep -Eq '^wait: pid [0-9]+ .* msg \"await [0-9]+: 1\"\$' '$T/c.out' && grep -Eq 'msg \"await [0-9]+: kill\"\$' '$T/c.out'"
check "C: then no living children" grep -q '^then: no living children$' "$T/c.out"
check "C: each collected child logged once" test "$(grep -cE "$AWAIT_RE" "$T/c.log")" = 3
LD_PRELOAD=$LIB JOIN_LOG=$T/py.log python3 "$ROOT/examples/await.py" >"$T/py.out" 2>&1
check "Python: three records, codes 0 3 7" sh -c "grep -c '^await: ' '$T/py.out' | grep -qx 3 && grep -q \"python3 [0-9]*: 7'\$\" '$T/py.out'"
check "Python: tokenize unquotes" grep -Eq "^  pid [0-9]+ exit string 'python3 [0-9]+: 3'\$" "$T/py.out"
check "Python: then no living children" grep -q '^done: no living children$' "$T/py.out"
# (python3 may be a wrapper script with children of its own: count the joined pids only)
for p in $(awk '/^await: / { print $2 }' "$T/py.out"); do grep -c "^$p " "$T/py.log"; done >"$T/py.counts"
check "Python: each collected child logged once" test "$(cat "$T/py.counts" | tr '\n' ' ')" = "1 1 1 "
