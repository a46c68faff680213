#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# JSONL events (docs/DESIGN.md) as jq(1) reads them: every line parses and has the fields of
# its event; every creating call and wait call is named; awkward comms survive; and a
# whole tree (bash -> make -j -> sh -> sleep/true) writes into one file, with the counts
# of what ran.
. "$(dirname "$0")/lib.sh"
# jqt FILE EXPR: jq -e over the log slurped as an array, '#' lines left out.
jqt() { grep -v '^#' "$1" | jq -se "$2" >/dev/null; }
run() { env JOIN_FORMAT=jsonl JOIN_LOG="$1" "${@:2}"; }

run $T/kinds.log JOIN_WATCH=1 $PROGS/kinds
check kinds-status test $? = 0
run $T/kinds0.log $PROGS/kinds
run $T/leave.log JOIN_WATCH=1 JOIN_ZOMBIE_MS=50 $PROGS/late leave 200
cat $T/kinds.log $T/kinds0.log $T/leave.log >$T/all.log

check every-line-parses sh -c "grep -v '^#' $T/all.log | jq -c . >/dev/null"
check no-human-lines-in-jsonl test "$(grep -c '^#' $T/all.log)" = 0
check one-object-a-line jqt $T/all.log 'all(type == "object")'
COMMON='(.event | type == "string") and (.pid | type == "number") and
        (.comm | type == "string") and (.t_ns | type == "number" and . > 0)'
check common-fields jqt $T/all.log "all($COMMON)"
check known-events jqt $T/all.log \
  'all(.event | IN("fork", "exit", "reap", "zombie", "report"))'

# has(KEYS...) as a jq predicate
has() { local e="true"; for k in "$@"; do e="$e and has(\"$k\")"; done; echo "$e"; }
STATUS='((has("code") and (.code | type == "number")) or (has("signal") and (.signal | type == "number"))) and (.core | type == "boolean")'
check fork-fields jqt $T/all.log \
  "all(.[] | select(.event == \"fork\"); $(has child how) and (.how | IN(\"fork\", \"vfork\", \"_Fork\", \"clone\", \"posix_spawn\", \"system\", \"popen\")))"
check exit-fields jqt $T/all.log \
  "all(.[] | select(.event == \"exit\"); $(has child exact) and $STATUS and (.exact | type == \"boolean\"))"
REAP=$(has child child_comm tid call user_ms sys_ms real_ms exact late_ms tracked \
  maxrss_kb minflt majflt inblock oublock nvcsw nivcsw)
check reap-fields jqt $T/all.log "all(.[] | select(.event == \"reap\"); $REAP and $STATUS)"
check reap-types jqt $T/all.log \
  'all(.[] | select(.event == "reap"); (.child_comm | type == "string") and (.tid | . > 0) and
     (.exact | type == "boolean") and (.tracked | type == "boolean") and
     ([.user_ms, .sys_ms, .real_ms, .maxrss_kb, .minflt, .majflt, .inblock, .oublock, .nvcsw, .nivcsw]
      | all(type == "number" and . >= 0)) and
     (.late_ms == null or (.late_ms | type == "number" and . >= 0)))'
check reap-late-only-when-exact jqt $T/all.log \
  'all(.[] | select(.event == "reap"); (.late_ms != null) == .exact)'
check zombie-fields jqt $T/all.log \
  "all(.[] | select(.event == \"zombie\"); $(has child child_comm age_ms) and (.age_ms >= 50))"
LIVE='type == "array" and all(.[]; (keys == ["age_ms", "child", "child_comm", "fork_ns"]))'
DEAD='type == "array" and all(.[]; (keys == ["age_ms", "child", "child_comm", "exit_ns", "fork_ns"]) and ((.exit_ns == null) == (.age_ms == null)))'
check report-fields jqt $T/all.log \
  "all(.[] | select(.event == \"report\"); (.running | $LIVE) and (.zombies | $DEAD))"

# Every creating call and wait call of kinds.c, with its status.
check kinds-how jqt $T/kinds.log \
  '[.[] | select(.event == "fork") | .how] | unique == ["_Fork", "clone", "fork", "popen", "posix_spawn", "system", "vfork"]'
check kinds-call jqt $T/kinds.log \
  '[.[] | select(.event == "reap") | .call] | unique == ["pclose", "system", "wait", "wait3", "wait4", "waitid", "waitpid"]'
check kinds-codes jqt $T/kinds.log \
  '[.[] | select(.event == "reap") | .code // ("sig" + (.signal | tostring))] == [1, 2, 3, 4, 5, 6, 7, 8, "sig9", 11]'
check kinds-fork-then-reap jqt $T/kinds.log \
  'all(.[] | select(.event == "reap"); .tracked) and
   ([.[] | select(.event == "fork") | .child]) == ([.[] | select(.event == "reap") | .child])'
check kinds-tid jqt $T/kinds.log 'all(.[] | select(.event == "reap"); .tid == .pid)'
check kinds-writer-comm jqt $T/kinds.log 'all(.comm == "kinds")'
# prctl(PR_SET_NAME, "a\"b\\c\nd\x01\xff"): escaped, the invalid byte as U+FFFD.
check awkward-comm jqt $T/kinds.log \
  '[.[] | select(.event == "reap" and .code == 11) | .child_comm] == ["a\"b\\c\nd\u0001\ufffd"]'
check awkward-comm-raw grep -qF '"child_comm":"a\"b\\c\nd\u0001\ufffd"' $T/kinds.log
check nowatch-all-inexact jqt $T/kinds0.log \
  'all(.[] | select(.event == "reap"); .exact == false and .late_ms == null) and
   all(.event != "exit" and .event != "zombie")'
# An exit event means the instant reached the table before the reap: that reap is exact.
# (An exact reap may lack one: the child was reaped between the two.)
check watch-exits-are-exact-reaps jqt $T/kinds.log \
  '[.[] | select(.event == "reap" and .exact) | .child] as $r |
   all(.[] | select(.event == "exit" and .exact); .child | IN($r[]))'

# A tree: bash -> make -j4 -> sh -> sleep, true.  The trailing ':' keeps each shell from
# exec'ing its last command, so every process named below is a child that is reaped.
cat >$T/Makefile <<'EOF'
all: a b c d
a b c d:
	@sleep 0.1; /bin/true; :
EOF
for w in 0 1; do
  rm -f $T/tree.log
  (cd $T && MAKEFLAGS= run $T/tree.log JOIN_WATCH=$w LD_PRELOAD=$LIB bash -c 'make -s -j4; :')
  check tree$w-status test $? = 0
  check tree$w-parses sh -c "jq -c . $T/tree.log >/dev/null"
  check tree$w-counts jqt $T/tree.log \
    '[.[] | select(.event == "reap") | .child_comm] | group_by(.) | map({(.[0]): length}) | add
     == {"make": 1, "sh": 4, "sleep": 4, "true": 4}'
  check tree$w-writers jqt $T/tree.log \
    '[.[] | select(.event == "reap") | .comm] | group_by(.) | map({(.[0]): length}) | add
     == {"bash": 1, "make": 4, "sh": 8}'
  # dash leaves with _exit: no exit report from the shells, only from make and bash.
  check tree$w-one-file-all-pids jqt $T/tree.log \
    '([.[] | .pid] | unique | length) == 6 and
     ([.[] | select(.event == "report") | .comm] | sort) == ["bash", "make"] and
     ([.[] | select(.event == "fork") | .child] | sort) == ([.[] | select(.event == "reap") | .child] | sort)'
  check tree$w-sleep-times jqt $T/tree.log \
    'all(.[] | select(.event == "reap" and .child_comm == "sleep"); .real_ms >= 90 and .real_ms < 2000)'
done
check tree1-exits-are-exact-reaps jqt $T/tree.log \
  '[.[] | select(.event == "reap" and .exact) | .child] as $r |
   all(.[] | select(.event == "exit" and .exact); .child | IN($r[]))'
