#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Diagnostics as a new user meets them: a log path that is a symbolic link gets one
# warning and is never written through; a failing fd:N is named whole; keywords
# are exact and lower case (JOIN_LOG=Off warns, no file "Off"); in JSONL every
# diagnostic is a warning event, so every line is JSON; a process that made
# children while SIGCHLD is ignored still writes its exit report.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
PY=/usr/bin/python3
# has FILE FILTER: some line of the JSONL file FILE passes FILTER (jq 1.6's -e looks
# only at the last line's result).
has() { jq -s -e "map(select($2)) | length > 0" "$1" >/dev/null; }

echo keep >victim
ln -s "$T/victim" evil.log
JOIN_LOG=$T/evil.log LD_PRELOAD=$LIB sh -c 'sh -c "exit 1"; sh -c "exit 2"' 2>w1
check symlink-not-followed test "$(cat victim)" = keep
check symlink-one-warning test "$(grep -c "^# libjoin: JOIN_LOG=$T/evil.log: a symbolic link" w1)" = 1

JOIN_LOG=fd:99 LD_PRELOAD=$LIB sh -c 'sh -c "exit 1"' 2>w2
check fd-warning-names-fd-99 grep -q '^# libjoin: JOIN_LOG=fd:99: Bad file descriptor' w2

mkdir k && cd k || exit 1
for v in Off STDERR Stderr FD:2; do
  rm -f ./*
  JOIN_LOG=$v LD_PRELOAD=$LIB sh -c 'sh -c "exit 1"' 2>"../k.err"
  check "keyword-$v-warns" grep -q "^# libjoin: JOIN_LOG=$v: keywords are off, stderr and fd:N in lower case; using stderr" ../k.err
  check "keyword-$v-no-file" test -z "$(ls)"
  check "keyword-$v-records-on-stderr" grep -Eq "$AWAIT_RE" ../k.err
done
for v in yes true ON; do
  JOIN_WATCH=$v JOIN_LOG=off LD_PRELOAD=$LIB sh -c 'sh -c "exit 1"' 2>"../k.err"
  check "keyword-WATCH-$v-warns" grep -q "^# libjoin: JOIN_WATCH=$v: not 1, on, 0 or off" ../k.err
done
cd "$T" || exit 1

# JSONL: bad values become warning events in the log; jq reads every line.
JOIN_ZOMBIE_MS=abc JOIN_STYLE=xyz JOIN_FORMAT=jsonl JOIN_LOG=$T/j.log LD_PRELOAD=$LIB \
  sh -c 'sh -c "exit 2"' 2>j.err
check jsonl-every-line-json jq -e . j.log
check jsonl-no-hash-line test "$(grep -c '^#' j.log)" = 0
check jsonl-warning-event has j.log '(.event == "warning" and .variable == "JOIN_STYLE" and
  .value == "xyz" and (.text | test("not plan9 or p9p")) and .pid > 0 and .t_ns > 0 and
  (.comm | type) == "string")' 
check jsonl-warning-zombie-ms has j.log '.event == "warning" and .variable == "JOIN_ZOMBIE_MS" and .value == "abc"' 
check jsonl-stderr-quiet test ! -s j.err
# A log on stderr in JSONL: the warnings there are events too.
JOIN_STYLE=xyz JOIN_FORMAT=jsonl LD_PRELOAD=$LIB sh -c 'sh -c "exit 2"' 2>j2.err
check jsonl-on-stderr-every-line-json jq -e . j2.err

# SIGCHLD ignored: the kernel reaps, yet the process made a child: its report is due.
JOIN_FORMAT=jsonl JOIN_LOG=$T/r.log LD_PRELOAD=$LIB $PY -c '
import os, signal, time
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
if os.fork() == 0:
    os._exit(0)
time.sleep(0.1)'
check report-with-sigchld-ignored has r.log '.event == "report" and .comm == "python3"' 
JOIN_FORMAT=jsonl JOIN_LOG=$T/r2.log LD_PRELOAD=$LIB $PY -c '
import os, signal, time
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
if os.fork() == 0:
    os._exit(0)
time.sleep(0.1)
if os.fork() == 0:  # the child made none itself: it owes no report
    os._exit(0)
time.sleep(0.1)'
check report-sigchld-ignored-not-inherited test "$(jq -r 'select(.event == "report") | .pid' r2.log | sort -u | wc -l)" = 1
