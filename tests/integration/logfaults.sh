#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The log's file system failing under the program, each way this machine can make
# it (issue 27): a file-size limit (ulimit -f), a full tmpfs, a read-only remount
# mid-run, the log removed or replaced by a symbolic link mid-run, a FIFO with no
# reader, /dev/full, a program with no descriptor left, a program that puts a file
# of its own on descriptor 2 (or fd:N).  Under LD_PRELOAD and under joinrun: the
# program's exit status and output are its native ones, one message says what was
# lost, and nothing is written where the user did not point.  Mounts need root:
# those cases are skipped, with a message, where mount is refused.
. "$(dirname "$0")/lib.sh"
P=$PROGS/plain_logfault
F=$PROGS/plain_forks
R=$B/joinrun
[ -x "$P" ] || { echo "not ok logfaults: no $P"; exit 1; }

# judge WANT: $T/n.{rc,out,err} (native) against $T/p.{rc,out,err}; WANT messages
# ("# libjoin:" or "joinrun: ... incomplete") on the preloaded side, else nothing
# more than native on stderr.
judge() {
  local want=$1 n p
  n=$(cat "$T/n.rc") p=$(cat "$T/p.rc")
  [ "$n" = "$p" ] || { echo "exit status $p, natively $n"; cat "$T/p.err"; return 1; }
  cmp -s "$T/n.out" "$T/p.out" || { echo "output differs"; diff "$T/n.out" "$T/p.out" | head; return 1; }
  local msgs; msgs=$(grep -c -e '^# libjoin:' -e '^joinrun: .*incomplete' "$T/p.err")
  [ "$msgs" = "$want" ] || { echo "$msgs messages, want $want:"; cat "$T/p.err"; return 1; }
  diff <(cat "$T/n.err") <(grep -v -e '^# libjoin:' -e '^joinrun: .*incomplete' "$T/p.err") >/dev/null ||
    { echo "stderr differs:"; cat "$T/p.err"; return 1; }
}
# run SIDE CMD...: CMD's status, stdout and stderr into $T/SIDE.*
run() { local s=$1; shift; "$@" >"$T/$s.out" 2>"$T/$s.err"; echo $? >"$T/$s.rc"; }
# a log holds whole lines only
whole() { [ ! -s "$1" ] || [ "$(tail -c 1 "$1" | od -An -c | tr -d ' ')" = '\n' ]; }

# --- a file-size limit ---------------------------------------------------------
limited() { bash -c 'ulimit -f 2; exec "$@"' _ "$@"; }
fsize_preload() {
  run n limited "$F" 200 0 "$T/done"
  run p env JOIN_LOG="$T/fsz.log" LD_PRELOAD="$LIB" bash -c 'ulimit -f 2; exec "$@"' _ "$F" 200 0 "$T/done"
  judge 1 && grep -q 'File too large; records lost' "$T/p.err" && whole "$T/fsz.log" &&
    [ "$(stat -c %s "$T/fsz.log")" -le 2048 ] && [ "$(grep -Ec "$AWAIT_RE" "$T/fsz.log")" -gt 10 ]
}
check logfault-fsize-preload fsize_preload
fsize_own() { # the program's own write past the limit: SIGXFSZ, as natively
  run n bash -c 'ulimit -f 1; exec head -c 5000 /dev/zero >"$0"' "$T/own1"
  run p env JOIN_LOG="$T/own.log" LD_PRELOAD="$LIB" bash -c 'ulimit -f 1; (exit 3); exec head -c 5000 /dev/zero >"$0"' "$T/own2"
  [ "$(cat "$T/n.rc")" = 153 ] && [ "$(cat "$T/p.rc")" = 153 ]
}
check logfault-fsize-own-write-still-signalled fsize_own
fsize_set() { # the limit lowered by the program after its first record (setrlimit seen)
  local s='(exit 1); ulimit -f 1; for i in $(seq 60); do (exit 1); done; echo ok'
  run n bash -c "$s"
  run p env JOIN_LOG="$T/set.log" LD_PRELOAD="$LIB" bash -c "$s"
  judge 1 && grep -q 'File too large' "$T/p.err" && whole "$T/set.log"
}
check logfault-fsize-set-by-program fsize_set
fsize_joinrun() {
  run n limited "$F" 200 0 "$T/done"
  run p limited "$R" -o "$T/fszj.log" -- "$F" 200 0 "$T/done"
  judge 1 && grep -q "joinrun: $T/fszj.log: the log is incomplete: [0-9]* records lost, File too large" "$T/p.err" &&
    whole "$T/fszj.log"
}
check logfault-fsize-joinrun fsize_joinrun
fsize_summary() {
  run n limited "$F" 200 0 "$T/done"
  run p limited "$R" -f jsonl --summary -o "$T/fszs.log" -- "$F" 200 0 "$T/done"
  [ "$(cat "$T/p.rc")" = 0 ] && head -1 "$T/p.err" | grep -q 'the log is incomplete' &&
    ! grep -q 'was libjoin loaded' "$T/p.err" && whole "$T/fszs.log"
}
check logfault-fsize-summary-says-first fsize_summary

# --- joinrun gives the command the signal dispositions it received ------------
dispositions() {
  local s='trap "" HUP PIPE XFSZ; exec "$@"'
  run n bash -c "$s" _ grep -E '^Sig(Ign|Blk)' /proc/self/status
  run p bash -c "$s" _ "$R" -o "$T/d.log" -- grep -E '^Sig(Ign|Blk)' /proc/self/status
  judge 0 && run n grep -E '^Sig(Ign|Blk)' /proc/self/status &&
    run p "$R" -o "$T/d.log" -- grep -E '^Sig(Ign|Blk)' /proc/self/status && judge 0
}
check logfault-joinrun-dispositions-as-received dispositions

# --- a program with no descriptor left -----------------------------------------
nofd() { bash -c 'ulimit -n 64; exec "$@"' _ "$@"; }
emfile_preload() {
  run n nofd "$P" emfile 20
  run p nofd env JOIN_LOG="$T/em.log" LD_PRELOAD="$LIB" "$P" emfile 20
  judge 1 && grep -q 'Too many open files; records lost' "$T/p.err"
}
check logfault-emfile-preload emfile_preload
emfile_joinrun() {
  local w
  for w in "" --watch; do
    rm -f "$T/emj.log"
    run n nofd "$P" emfile 20
    run p nofd "$R" $w -f jsonl -o "$T/emj.log" -- "$P" emfile 20
    [ "$(cat "$T/n.rc")" = "$(cat "$T/p.rc")" ] && cmp -s "$T/n.out" "$T/p.out" || { echo "status or output differs ($w)"; return 1; }
    [ "$(grep -c '"event":"reap","pid":[0-9]*,"comm":"plain_logfault"' "$T/emj.log")" = 20 ] ||
      { echo "records of the program's 20 reaps ($w):"; grep -c reap "$T/emj.log"; cat "$T/p.err"; return 1; }
  done
  # watch mode: the names the program could not read come from the children
  [ "$(grep -c '"child_comm":"plain_logfault"' "$T/emj.log")" -ge 20 ]
}
check logfault-emfile-joinrun-records-kept emfile_joinrun

# --- a file of the program's own on the log's descriptor -----------------------
reopen_stderr() {
  run n "$P" reopen 2 "$T/native.data" 3
  run p env -u JOIN_LOG LD_PRELOAD="$LIB" "$P" reopen 2 "$T/pre.data" 3
  judge 0 && cmp "$T/native.data" "$T/pre.data"
}
check logfault-stderr-reused-untouched reopen_stderr
reopen_fd() {
  run n "$P" reopen 9 "$T/native9.data" 3 9>"$T/n9.log"
  run p env JOIN_LOG=fd:9 LD_PRELOAD="$LIB" "$P" reopen 9 "$T/pre9.data" 3 9>"$T/p9.log"
  judge 1 && cmp "$T/native9.data" "$T/pre9.data" && grep -q 'fd:9: the program has put another file' "$T/p.err"
}
check logfault-fd-reused-untouched reopen_fd

# --- a FIFO with no reader, /dev/full ------------------------------------------
fifo() {
  mkfifo "$T/fifo"
  run n timeout 20 "$F" 5 0 "$T/done"
  run p timeout 20 env JOIN_LOG="$T/fifo" LD_PRELOAD="$LIB" "$F" 5 0 "$T/done"
  judge 1 && grep -q 'FIFO with no reader' "$T/p.err"
}
check logfault-fifo-no-reader fifo
devfull_joinrun() {
  run n sh -c '"$@"; exit 5' _ "$F" 20 0 "$T/done"
  run p "$R" -o stderr -- sh -c '"$@"; exit 5' _ "$F" 20 0 "$T/done"
  [ "$(cat "$T/p.rc")" = 5 ] || { echo "status $(cat "$T/p.rc")"; return 1; }
  "$R" -o stderr -- sh -c '"$@"; exit 5' _ "$F" 20 0 "$T/done" 2>/dev/full; [ $? = 5 ]
}
check logfault-devfull-joinrun devfull_joinrun

# --- the log removed or replaced by a symbolic link mid-run ---------------------
# midrun ACTION LOG CMD...: CMD (plain_logfault pause $T/go N) runs; ACTION once it
# waits; then it goes on.
midrun() {
  local action=$1; shift
  rm -f "$T/go"
  "$@" >"$T/p.out" 2>"$T/p.err" &
  local pid=$! i
  for i in $(seq 500); do [ -e "$T/go" ] && break; sleep 0.01; done
  eval "$action"
  rm -f "$T/go"
  wait $pid; echo $? >"$T/p.rc"
}
removed() {
  run n "$P" pause "$T/go" 4
  midrun 'rm -f "$T/rm.log"' env JOIN_LOG="$T/rm.log" LD_PRELOAD="$LIB" "$P" pause "$T/go" 4
  judge 0 && [ "$(grep -Ec "$AWAIT_RE" "$T/rm.log")" = 4 ] || return 1
  midrun 'rm -f "$T/rmj.log"' "$R" -o "$T/rmj.log" -- "$P" pause "$T/go" 4
  judge 0 && [ "$(grep -Ec "$AWAIT_RE" "$T/rmj.log")" -ge 4 ]
}
check logfault-log-removed-made-anew removed
symlinked() {
  echo keep >"$T/victim"
  run n "$P" pause "$T/go" 4
  midrun 'ln -s "$T/victim" "$T/sl.tmp" && mv -T "$T/sl.tmp" "$T/sl.log"' env JOIN_LOG="$T/sl.log" LD_PRELOAD="$LIB" "$P" pause "$T/go" 4
  judge 1 && grep -q 'symbolic link, not followed' "$T/p.err" && [ "$(cat "$T/victim")" = keep ] || return 1
  midrun 'ln -s "$T/victim" "$T/slj.tmp" && mv -T "$T/slj.tmp" "$T/slj.log"' "$R" -o "$T/slj.log" -- "$P" pause "$T/go" 4
  judge 1 && grep -q 'incomplete: .*symbolic link' "$T/p.err" && [ "$(cat "$T/victim")" = keep ]
}
check logfault-log-replaced-by-symlink symlinked

# --- a full file system, a read-only remount (root: a tmpfs of our own) --------
mkdir -p "$T/mnt"
if ! mount -t tmpfs -o size=64k tmpfs "$T/mnt" 2>/dev/null; then
  echo "# logfaults: mount refused here (not root?): full and read-only file systems skipped"
  exit 0
fi
trap 'umount "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
full() {
  head -c 65536 /dev/zero >"$T/mnt/filler" 2>/dev/null
  run n "$F" 30 0 "$T/done"
  run p env JOIN_LOG="$T/mnt/d.log" LD_PRELOAD="$LIB" "$F" 30 0 "$T/done"
  judge 1 && grep -q 'No space left on device; records lost' "$T/p.err" || return 1
  run n sh -c '"$@"; exit 5' _ "$F" 30 0 "$T/done"
  run p "$R" -o "$T/mnt/j.log" -- sh -c '"$@"; exit 5' _ "$F" 30 0 "$T/done"
  judge 1 && grep -q "joinrun: $T/mnt/j.log: the log is incomplete: [0-9]* records lost, No space left" "$T/p.err" || return 1
  run p "$R" -f jsonl --summary -o "$T/mnt/s.log" -- sh -c '"$@"; exit 5' _ "$F" 30 0 "$T/done"
  [ "$(cat "$T/p.rc")" = 5 ] && head -1 "$T/p.err" | grep -q 'the log is incomplete' &&
    ! grep -q 'was libjoin loaded' "$T/p.err"
}
check logfault-full-tmpfs full
rm -f "$T/mnt"/*
readonly_() {
  run n "$P" pause "$T/go" 4
  midrun 'mount -o remount,ro "$T/mnt"' env JOIN_LOG="$T/mnt/ro.log" LD_PRELOAD="$LIB" "$P" pause "$T/go" 4
  mount -o remount,rw "$T/mnt"
  judge 1 && grep -q 'Read-only file system; records lost' "$T/p.err" &&
    [ "$(grep -Ec "$AWAIT_RE" "$T/mnt/ro.log")" = 4 ] || return 1
  midrun 'mount -o remount,ro "$T/mnt"' "$R" -o "$T/mnt/roj.log" -- "$P" pause "$T/go" 4
  mount -o remount,rw "$T/mnt"
  [ "$(cat "$T/p.rc")" = 0 ] && cmp -s "$T/n.out" "$T/p.out"
}
check logfault-readonly-remount readonly_
