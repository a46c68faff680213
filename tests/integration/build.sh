#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The build as a new user meets it: `make demo` in a fresh build directory builds
# joinrun and ends with its summary; `make install PREFIX=...` after a build installs
# a joinrun that finds its library under PREFIX and a join.pc naming PREFIX;
# `make test >log 2>&1` gives a clean log; the README preloads no relative path and
# the manual claims no false limit.
. "$(dirname "$0")/lib.sh"
D=$T/b
make -s -j2 -C "$ROOT" B="$D" demo >"$T/demo.out" 2>&1
check demo-builds-joinrun test -x "$D/joinrun"
check demo-prints-summary grep -q 'parallelism' "$T/demo.out"
check demo-prints-records grep -Eq "$AWAIT_RE" "$T/demo.out"
make -s -C "$ROOT" B="$D" install PREFIX="$T/inst" >"$T/inst.out" 2>&1
check install-prefix-after-build sh -c '"$1/inst/bin/joinrun" -o "$1/i.log" -- sh -c "sh -c \"exit 1\""; grep -Eq "$2" "$1/i.log"' sh "$T" "$AWAIT_RE"
check install-prefix-pc grep -qx "prefix=$T/inst" "$T/inst/lib/pkgconfig/join.pc"
check install-prefix-pc-libdir grep -qx "libdir=$T/inst/lib" "$T/inst/lib/pkgconfig/join.pc"
# Nothing rebuilt when PREFIX is unchanged.
check prefix-stamp-stable sh -c 'test -z "$(make -s -C "$1" B="$2" PREFIX="$3" "$2/joinrun" 2>&1 | grep -v "^make")"' sh "$ROOT" "$D" "$T/inst"

# run-all.sh with stdout and stderr to one file: every line once, in order.
bash "$ROOT/tests/run-all.sh" "" "" >"$T/all.log" 2>&1
check run-all-clean-log test "$(cat "$T/all.log")" = "$(printf 'unit: 0 passed, 0 failed\nintegration: 0 passed, 0 failed\nall: 0 passed, 0 failed')"
check run-all-no-tee-stderr sh -c '! grep -q "tee /dev/stderr" "$1/tests/run-all.sh"' sh "$ROOT"

check readme-absolute-preload sh -c '! grep -q "LD_PRELOAD=build/" "$1/README.md"' sh "$ROOT"
check man-core-dump-told sh -c '! sed -n "/^\.SH BUGS/,\$p" "$1/man/libjoin.3" | grep -qi "core dump.*not"' sh "$ROOT"

# Every fragment's targets have their prerequisites, whatever the include order:
# `make valgrind` depends on the unit test programs it runs.
check valgrind-needs-unit-tests sh -c 'make -pn -C "$1" valgrind 2>/dev/null | grep -E "^valgrind:" | grep -q "tests/unit/test_"' sh "$ROOT"

# The engine's rooms call only down, in the order DESIGN.md gives (tests/rooms.py).
check rooms-call-only-down python3 "$ROOT/tests/rooms.py" "$B"
