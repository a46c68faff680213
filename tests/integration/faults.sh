#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Faults under the program (tests/progs/rel_faults.c, and a shell tree): the log
# path unwritable, removed while running, on a full disk; fd:N closed, read-only,
# full or a pipe without reader; the program closing every descriptor; the arena
# exhausted (fault build, JOIN_FAULT_ARENA); /proc unreadable for comm.  In each
# case the program's output and exit status are those of its native run, its
# stderr holds at most one "# libjoin:" warning and nothing else, and where the
# log still works it holds one record per child.
. "$(dirname "$0")/lib.sh"
NATIVE=$B/tests/native
FAULT=${REL_FAULT_LIB:-$B/fault/libjoin.so}
[ -z "${REL_SAN:-}" ] || exit 0
P=$NATIVE/rel_faults
ROUNDS=3
PER_ROUND=6 # children rel_faults reaps in a round

# same RECORDS ENV... -- CMD...: CMD native and preloaded with ENV; RECORDS is the
# number of await records wanted in $T/log: "-" when the log cannot work (then one
# warning is wanted), "*" when the test counts them itself.
same() {
  local want=$1; shift
  local env=()
  while [ "$1" != -- ]; do env+=("$1"); shift; done; shift
  rm -f "$T/log"
  eval "${SETUP:-}"
  "$@" >"$T/n.out" 2>"$T/n.err"; local nrc=$?
  eval "${SETUP:-}"
  env "${env[@]}" LD_PRELOAD="${PRE:-$LIB}" "$@" >"$T/p.out" 2>"$T/p.err"; local prc=$?
  echo >>"$T/count"
  [ "$nrc" = "$prc" ] || { echo "exit status $prc, natively $nrc"; cat "$T/p.err"; return 1; }
  diff "$T/n.out" "$T/p.out" >"$T/d" || { echo "output differs:"; head "$T/d"; return 1; }
  local w; w=$(grep -c '^# libjoin:' "$T/p.err")
  [ "$w" -le 1 ] || { echo "$w warnings:"; cat "$T/p.err"; return 1; }
  # a log that cannot work says so, once
  [ "$want" != - ] || [ "$w" = 1 ] || { echo "no warning for a log that fails"; return 1; }
  diff <(cat "$T/n.err") <(grep -v '^# libjoin:' "$T/p.err") >/dev/null \
    || { echo "stderr differs:"; cat "$T/p.err"; return 1; }
  if [ "$want" != - ] && [ "$want" != '*' ]; then
    local got; got=$(grep -Ec "$AWAIT_RE" "$T/log" 2>/dev/null)
    [ "${got:-0}" = "$want" ] || { echo "${got:-0} records, want $want"; return 1; }
  fi
  cp "$T/p.err" "$T/last.err"
}

touch "$T/file"
WORK=$((ROUNDS * PER_ROUND))
check fault-path-enotdir same - JOIN_LOG="$T/file/x.log" -- "$P" work $ROUNDS
check fault-path-enoent same - JOIN_LOG=/nonexistent/dir/x.log -- "$P" work $ROUNDS
check fault-path-eisdir same - JOIN_LOG="$T" -- "$P" work $ROUNDS
check fault-path-proc same - JOIN_LOG=/proc/version -- "$P" work $ROUNDS
check fault-path-devfull same - JOIN_LOG=/dev/full -- "$P" work $ROUNDS
check fault-path-devfull-jsonl same - JOIN_LOG=/dev/full JOIN_FORMAT=jsonl -- "$P" work $ROUNDS
check fault-path-long same - JOIN_LOG="/$(printf 'd%.0s' $(seq 4090))" -- "$P" work $ROUNDS
check fault-path-pid-long same - JOIN_LOG="$T/$(printf '%%p%.0s' $(seq 1500))" -- "$P" work $ROUNDS
check fault-fd-closed same - JOIN_LOG=fd:9 -- "$P" work $ROUNDS
check fault-fd-huge same - JOIN_LOG=fd:1000000 -- "$P" work $ROUNDS
fd_readonly() { same - JOIN_LOG=fd:9 -- "$P" work $ROUNDS 9</dev/null; }
check fault-fd-readonly fd_readonly
fd_full() { same - JOIN_LOG=fd:9 -- "$P" work $ROUNDS 9>/dev/full; }
check fault-fd-devfull fd_full
# a pipe whose reader is gone: the SIGPIPE is libjoin's, not the program's
fd_pipe() { same - JOIN_LOG=fd:9 -- "$P" work $ROUNDS 9> >(exec true); }
check fault-fd-broken-pipe fd_pipe
fd_pipe_stderr() {
  "$P" work $ROUNDS >"$T/n.out" 2> >(exec true); local n=$?
  JOIN_LOG=stderr LD_PRELOAD=$LIB "$P" work $ROUNDS >"$T/p.out" 2> >(exec true); local p=$?
  echo >>"$T/count"
  [ "$n" = "$p" ] && cmp "$T/n.out" "$T/p.out" || { echo "status $p, natively $n"; cat "$T/p.out"; return 1; }
}
check fault-stderr-broken-pipe fd_pipe_stderr

# removed while running: the directory (a warning, then nothing), the file (made anew)
rm_dir() {
  SETUP='mkdir -p "$T/gone"' same - JOIN_LOG="$T/gone/log" -- "$P" rmdir "$T/gone" $ROUNDS || return 1
  local before; before=$(grep -c '^# libjoin' "$T/last.err")
  [ "$before" = 1 ] || { echo "no warning when the log's directory went"; return 1; }
}
check fault-log-dir-removed rm_dir
rm_file() {
  SETUP='rm -rf "$T/keep"; mkdir -p "$T/keep/sub"' same $WORK JOIN_LOG="$T/log" -- "$P" rmdir "$T/keep" $ROUNDS
}
check fault-log-file-removed rm_file  # (log outside: rmdir fails alike, records all there)
rm_file_inside() {
  SETUP='rm -rf "$T/keep"; mkdir -p "$T/keep/sub"' same '*' JOIN_LOG="$T/keep/log" -- "$P" rmdir "$T/keep" $ROUNDS || return 1
  local got; got=$(grep -Ec "$AWAIT_RE" "$T/keep/log")
  [ "$got" -ge $((WORK / 2 - PER_ROUND)) ] && [ "$got" -lt $WORK ] \
    || { echo "$got records in the new file"; return 1; }
  [ ! -s "$T/last.err" ] || { echo "a warning for a file that could be made again"; return 1; }
}
check fault-log-file-removed-inside rm_file_inside

# every descriptor closed by the program: libjoin never writes into the program's files
closeall() {
  rm -f "$T/own.n" "$T/own.p"
  "$P" closeall "$T/own.n" $ROUNDS; local n=$?
  rm -f "$T/log"
  JOIN_LOG=${1:-$T/log} LD_PRELOAD=$LIB "$P" closeall "$T/own.p" $ROUNDS; local p=$?
  echo >>"$T/count"
  [ "$n" = 0 ] && [ "$p" = 0 ] || { echo "status $p, natively $n"; cat "$T/own.p"; return 1; }
  cmp "$T/own.n" "$T/own.p" || { diff "$T/own.n" "$T/own.p" | head; return 1; }
  [ -n "${1:-}" ] || [ "$(grep -Ec "$AWAIT_RE" "$T/log")" = $WORK ] || { echo "records missing"; return 1; }
}
check fault-closeall-path closeall
check fault-closeall-stderr closeall stderr

# a shell tree: every process that reaps warns at most once
tree() {
  local cmd='for i in 1 2 3; do (sh -c "exit $i"); echo $?; done; x=$(echo sub); echo $x; sh -c "exit 4" | cat; echo end'
  JOIN_LOG=$T/tree.jl JOIN_FORMAT=jsonl LD_PRELOAD=$LIB bash -c "$cmd" >/dev/null 2>&1
  local reapers; reapers=$(jq -r 'select(.event=="reap") | .pid' "$T/tree.jl" | sort -u | wc -l)
  bash -c "$cmd" >"$T/n.out" 2>&1
  JOIN_LOG=/dev/full LD_PRELOAD=$LIB bash -c "$cmd" >"$T/p.out" 2>"$T/p.err"
  echo >>"$T/count"
  cmp "$T/n.out" "$T/p.out" || { diff "$T/n.out" "$T/p.out"; return 1; }
  local w; w=$(grep -c '^# libjoin:' "$T/p.err")
  [ "$w" -ge 1 ] && [ "$w" -le "$reapers" ] || { echo "$w warnings for $reapers reaping processes"; return 1; }
  [ "$(grep -vc '^# libjoin:' "$T/p.err")" = 0 ] || { cat "$T/p.err"; return 1; }
}
check fault-shell-tree-devfull tree

# arena exhaustion (fault build): fork records lost, statuses and reap records not
arena() {
  local n
  for n in 0 1 2 3 5 8 40 150; do
    PRE=$FAULT same 300 JOIN_FAULT_ARENA=$n JOIN_LOG="$T/log" -- "$P" live 300 || { echo "after $n allocations"; return 1; }
    PRE=$FAULT same $WORK JOIN_FAULT_ARENA=$n JOIN_LOG="$T/log" -- "$P" work $ROUNDS || { echo "after $n allocations"; return 1; }
  done
}
check fault-arena-exhausted arena

# /proc unreadable: comm unknown ("?"), nothing else changes (sh's mount is one more child)
proc_hidden() {
  local hide='mount -t tmpfs none /proc && exec "$@"'
  if ! unshare -m sh -c "$hide" sh true 2>/dev/null; then
    echo "SKIP"; return 0
  fi
  for f in await jsonl; do
    same $((WORK + 1)) JOIN_LOG="$T/log" JOIN_FORMAT=$f -- unshare -m sh -c "$hide" sh "$P" work $ROUNDS 2>/dev/null \
      || [ $f = jsonl ] || return 1
  done
  rm -f "$T/log"
  JOIN_LOG=$T/log LD_PRELOAD=$LIB unshare -m sh -c "$hide" sh "$P" work 1 >/dev/null
  grep -q "'? [0-9]*: kill'" "$T/log" || { echo "no '?' for an unknown comm:"; cat "$T/log"; return 1; }
}
if unshare -m sh -c 'mount -t tmpfs none /proc' 2>/dev/null; then
  check fault-proc-hidden proc_hidden
else
  echo "ok fault-proc-hidden # SKIP unshare -m with a tmpfs over /proc is not permitted here"
fi
echo "# faults: $(wc -l <"$T/count") faulty runs compared with their native runs"
