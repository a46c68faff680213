#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Threads forking and vforking, a SIGCHLD handler reaping with waitpid(-1, WNOHANG),
# a thread reaping with wait(): tests/progs/stress.c checks every status itself;
# here its list of reaps is compared with libjoin's log, record for record.
# REL_SAN=name: a sanitizer build; only the -ljoin program runs, smaller.
. "$(dirname "$0")/lib.sh"
NATIVE=$B/tests/native
FAULT=${REL_FAULT_LIB:-$B/fault/libjoin.so}
SAN=${REL_SAN:-}
if [ -n "$SAN" ]; then ARGS="4 300 200"; else ARGS="4 2000 1000"; fi

# summary FIELD FILE: a figure from the program's summary line
fig() { sed -n "s/.*\b$1=\([0-9]*\).*/\1/p" "$2"; }

# The program's own reaps against the reap events of the log: same pids, same statuses.
same_reaps() { # LOG REAPS
  jq -r 'select(.event=="reap") | "\(.child) \(if .signal then "signal \(.signal)" else "code \(.code)" end)"' \
    "$1" | sort >"$T/from-log"
  sort "$2" >"$T/from-prog"
  diff "$T/from-prog" "$T/from-log" >"$T/diff" || { echo "reaps differ:"; head "$T/diff"; return 1; }
  local untracked; untracked=$(jq -r 'select(.event=="reap" and .tracked != true) | .child' "$1" | wc -l)
  [ "$untracked" = 0 ] || { echo "$untracked reaps marked untracked"; return 1; }
  local forks; forks=$(jq -r 'select(.event=="fork") | .child' "$1" | wc -l)
  [ "$forks" = "$(wc -l <"$2")" ] || { echo "$forks fork events for $(wc -l <"$2") children"; return 1; }
}

native() {
  "$NATIVE/stress" $ARGS >"$T/n.out" || { cat "$T/n.out"; return 1; }
}

# RUN NAME ENV...: the program linked with -ljoin, await format: one record per reap, no warning
linked_await() {
  rm -f "$T/a.log"
  env JOIN_LOG="$T/a.log" "$PROGS/stress" $ARGS >"$T/a.out" 2>"$T/a.err" || { cat "$T/a.out" "$T/a.err"; return 1; }
  local reaped records
  reaped=$(fig reaped "$T/a.out"); records=$(grep -Ec "$AWAIT_RE" "$T/a.log")
  [ "$records" = "$reaped" ] || { echo "$records await records for $reaped reaped children"; return 1; }
  [ "$(grep -c . "$T/a.log")" = "$records" ] || { echo "other lines in the log:"; grep -Ev "$AWAIT_RE" "$T/a.log" | head; return 1; }
  [ ! -s "$T/a.err" ] || { echo "stderr:"; head "$T/a.err"; return 1; }
}

linked_jsonl() {
  rm -f "$T/j.log"
  JOIN_FORMAT=jsonl JOIN_LOG="$T/j.log" "$PROGS/stress" $ARGS -l "$T/j.reaps" >"$T/j.out" || { cat "$T/j.out"; return 1; }
  same_reaps "$T/j.log" "$T/j.reaps"
}

# Watch mode: the watcher's threads and pidfds beside all of it; never more exit
# events than children.
watch_jsonl() {
  rm -f "$T/w.log"
  JOIN_WATCH=1 JOIN_FORMAT=jsonl JOIN_LOG="$T/w.log" "$PROGS/stress" $ARGS -l "$T/w.reaps" >"$T/w.out" \
    || { cat "$T/w.out"; return 1; }
  same_reaps "$T/w.log" "$T/w.reaps" || return 1
  local exits; exits=$(jq -r 'select(.event=="exit") | .child' "$T/w.log" | wc -l)
  [ "$exits" -le "$(wc -l <"$T/w.reaps")" ] || { echo "$exits exit events for fewer children"; return 1; }
}

preloaded_jsonl() {
  rm -f "$T/p.log"
  JOIN_FORMAT=jsonl JOIN_LOG="$T/p.log" LD_PRELOAD=$LIB "$NATIVE/stress" $ARGS -l "$T/p.reaps" >"$T/p.out" \
    || { cat "$T/p.out"; return 1; }
  same_reaps "$T/p.log" "$T/p.reaps"
}

# Under the tree's collector (joinrun), with and without watch mode: every record
# through the ring, none lost.
collector_jsonl() { # [--watch]
  rm -f "$T/c.log"
  "$B/joinrun" "$@" -f jsonl -o "$T/c.log" -- "$NATIVE/stress" $ARGS -l "$T/c.reaps" >"$T/c.out" \
    || { cat "$T/c.out"; return 1; }
  grep -v '"how":"joinrun"' "$T/c.log" | jq -c 'select(.comm != "joinrun")' >"$T/c.tree"
  same_reaps "$T/c.tree" "$T/c.reaps"
}

# The fault build's counters at exit: every fork recorded and settled, the table empty.
table_empty() {
  rm -f "$T/stats" "$T/f.log"
  JOIN_FAULT_STATS="$T/stats" JOIN_LOG="$T/f.log" LD_PRELOAD=$FAULT "$NATIVE/stress" $ARGS >"$T/f.out" \
    || { cat "$T/f.out"; return 1; }
  local pid tracked reaped untracked oom expired live mapped
  read -r pid tracked reaped untracked oom expired live mapped < <(tail -1 "$T/stats")
  echo "tracked $tracked reaped $reaped untracked $untracked oom $oom expired $expired live $live" >"$T/f.counts"
  [ "$tracked" = "$(fig born "$T/f.out")" ] && [ "$reaped" = "$tracked" ] && [ "$untracked" = 0 ] \
    && [ "$live" = 0 ] && [ "$expired" = 0 ] || { echo "counters wrong"; return 1; }
}

check stress-native native
check stress-linked-await linked_await
echo "# linked: $(cat "$T/a.out" 2>/dev/null)"
check stress-linked-jsonl linked_jsonl
check stress-watch-jsonl watch_jsonl
if [ -z "$SAN" ]; then
  check stress-preloaded-jsonl preloaded_jsonl
  check stress-collector-jsonl collector_jsonl
  check stress-collector-watch-jsonl collector_jsonl --watch
  check stress-table-empty table_empty
  echo "# preloaded, at exit: $(cat "$T/f.counts" 2>/dev/null)"
fi
