#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pidfd_spawn and pidfd_spawnp (glibc >= 2.39): the program sees the same return
# values, errno, pidfd numbers and statuses natively and preloaded (waitid(P_PIDFD)
# keeps its meaning); each child has a fork record ("how": "pidfd_spawn[p]") and a
# tracked reap with the fork instant.  On an older glibc the library still loads, and
# a pidfd_spawn found by dlsym (ours) fails with ENOSYS instead of aborting.
. "$(dirname "$0")/lib.sh"
P=$PROGS/plain_pidfd
jqt() { grep -v '^#' "$1" | jq -se "$2" >/dev/null; }

"$P" >"$T/n.out" 2>&1; rn=$?
PIDS=$T/pids JOIN_FORMAT=jsonl JOIN_LOG=$T/p.log LD_PRELOAD=$LIB "$P" >"$T/p.out" 2>&1; rp=$?
check same-output-and-status sh -c "[ $rn = $rp ] && diff $T/n.out $T/p.out"

if grep -q "not in this glibc" "$T/n.out"; then
  check older-glibc-loads test "$rp" = 0
  check probe-natively-none test "$("$P" probe)" = "probe: -1"
  check probe-preloaded-enosys test "$(JOIN_LOG=off LD_PRELOAD=$LIB "$P" probe 2>&1)" = "probe: 38"
  exit 0
fi
check native-statuses grep -q "waitid P_PIDFD: 0 code=1 status=6" "$T/n.out"
check native-no-descriptor-left grep -q "descriptors as before: 1" "$T/n.out"
pid() { awk -v k="$1" '$1 == k { print $2 }' "$T/pids"; }
check pids-known sh -c "[ $(pid spawnp) -gt 0 ] && [ $(pid spawn) -gt 0 ]"
check fork-how jqt "$T/p.log" \
  "[.[] | select(.event == \"fork\") | [.child, .how]] == [[$(pid spawnp), \"pidfd_spawnp\"], [$(pid spawn), \"pidfd_spawn\"]]"
check reaps-tracked jqt "$T/p.log" \
  "[.[] | select(.event == \"reap\") | [.child, .call, .tracked, .code // .signal]] ==
   [[$(pid spawnp), \"waitid\", true, 6], [$(pid spawn), \"waitpid\", true, 15]]"
# Watch mode: the collector times the exit exactly, as for posix_spawn's children
# (the child that exits normally tells its exit instant itself).
JOIN_WATCH=1 JOIN_FORMAT=jsonl JOIN_LOG=$T/w.log LD_PRELOAD=$LIB "$P" >/dev/null 2>&1
check watch-exact jqt "$T/w.log" \
  '[.[] | select(.event == "reap" and .code == 6) | [.exact, .tracked]] == [[true, true]]'
