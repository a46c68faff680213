# SPDX-License-Identifier: MIT
# Sourced by integration tests.  Sets LIB, PROGS, T (scratch dir); gives ok/check.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$ROOT/$B ;; esac
LIB=$B/libjoin.so
PROGS=$B/tests/progs
T=$(mktemp -d /tmp/jointest.XXXXXX)
trap 'rm -rf "$T"' EXIT
AWAIT_RE="^[0-9]+ [0-9]+ [0-9]+ [0-9]+ "
# check NAME CMD...: runs CMD; prints "ok NAME" when it succeeds.
check() {
  local name=$1; shift
  if out=$("$@" 2>&1); then echo "ok $name"; else echo "not ok $name"; echo "$out" | head -15 | sed 's/^/#   /'; fi
}
# pre CMD...: CMD under the library with the log to $T/log (appended).
pre() { JOIN_LOG=${JOIN_LOG:-$T/log} LD_PRELOAD=$LIB "$@"; }
