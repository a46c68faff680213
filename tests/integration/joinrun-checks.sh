#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# joinrun checks its input before it runs anything: -o never writes through a
# symbolic link nor empties a log it did not make; --report refuses a file that is
# no JSONL log, or is empty; an unwritable --trace or --plot fails before CMD runs;
# bad JOIN_* values are one message and exit 2.  Then its own output: --help names
# every option, --version, --markdown alone is a usage error, a static CMD gets a
# note, --summary never prints a control character of a process name, and the plot
# draws a never-reaped zombie.
. "$(dirname "$0")/lib.sh"
JR=$B/joinrun
[ -x "$JR" ] || { echo "not ok joinrun-built # $JR missing"; exit 1; }
cd "$T" || exit 1
# status WANT CMD...: CMD exits WANT.
status() { local want=$1; shift; "$@" >/dev/null 2>&1; local rc=$?; [ $rc = "$want" ] || { echo "status $rc, want $want"; return 1; }; }

# -o: links refused; a log with records kept and appended to, and --summary of this
# run alone; an empty file or a new one used.
echo keep >victim
ln -s "$T/victim" link.log
check o-symlink-refused status 2 "$JR" -o link.log -- touch ran-link
check o-symlink-victim-kept test "$(cat victim)" = keep
check o-symlink-nothing-ran test ! -e ran-link
"$JR" -o link.log -- true 2>o.err
check o-symlink-message grep -q "^joinrun: -o $T/link.log: a symbolic link" o.err
echo '{"event":"fork"}' >old.log
check o-nonempty-appended sh -c '"$1" -f jsonl -o old.log -- sh -c "sh -c \"exit 1\""; grep -q "\"event\":\"reap\"" old.log' sh "$JR"
check o-nonempty-kept test "$(head -1 old.log)" = '{"event":"fork"}'
echo '1 0 0 1 '"''" >old.await
check o-await-appended sh -c '"$1" -o old.await -- sh -c "sh -c \"exit 1\""; test "$(grep -Ec "$2" old.await)" = 2' sh "$JR" "$AWAIT_RE"
"$JR" -f jsonl -o twice.log -- sh -c 'sh -c "exit 1"' 2>/dev/null
"$JR" --summary -o twice.log -- sh -c 'sh -c "exit 2"' 2>sum.out
check o-summary-this-run-only grep -q ': 2 processes, 1 command' sum.out
: >empty.log
check o-empty-used sh -c '"$1" -o empty.log -- sh -c "sh -c \"exit 1\""; grep -Eq "$2" empty.log' sh "$JR" "$AWAIT_RE"
check o-new-made sh -c '"$1" -o new.log -- sh -c "sh -c \"exit 1\""; grep -Eq "$2" new.log' sh "$JR" "$AWAIT_RE"
check o-stderr-still sh -c '"$1" -o stderr -- sh -c "sh -c \"exit 1\"" 2>&1 | grep -Eq "$2"' sh "$JR" "$AWAIT_RE"

# --report: no log, no table.
printf 'root:x:0:0:root:/root:/bin/bash\n' >passwd
: >empty.jsonl
check report-not-jsonl status 1 "$JR" --report passwd
check report-not-jsonl-message sh -c '"$1" --report passwd 2>&1 | grep -q "passwd: no libjoin events in 1 lines: not a JSONL log"' sh "$JR"
check report-empty status 1 "$JR" --report empty.jsonl
check report-empty-message sh -c '"$1" --report empty.jsonl 2>&1 | grep -q "empty.jsonl: empty"' sh "$JR"
check report-second-empty status 1 "$JR" --report new.log empty.jsonl

# Outputs written after CMD are checked before it.
check trace-unwritable status 2 "$JR" --trace /nonexistent/dir/t.json -- touch ran-trace
check trace-nothing-ran test ! -e ran-trace
check plot-unwritable status 2 "$JR" --plot /nonexistent/dir/p.svg -- touch ran-plot
check plot-nothing-ran test ! -e ran-plot
check trace-probe-removed sh -c '"$1" --trace t.json -- true 2>/dev/null; test -s t.json' sh "$JR"
check report-plot-unwritable status 2 "$JR" --report new.log --plot /nonexistent/dir/p.svg

# JOIN_* values: the library's parser, one message, exit 2, nothing run.
check env-bad-exit status 2 env JOIN_ZOMBIE_MS=abc "$JR" -- touch ran-env
check env-nothing-ran test ! -e ran-env
JOIN_STYLE=xyz JOIN_LOG=Off "$JR" -- sh -c 'sh -c "exit 1"' 2>env.err
check env-one-message-each test "$(wc -l <env.err)" = 2
check env-names-style grep -qx 'joinrun: JOIN_STYLE=xyz: not plan9 or p9p' env.err
check env-names-log grep -q '^joinrun: JOIN_LOG=Off: keywords are' env.err
check env-good-runs sh -c 'JOIN_STYLE=p9p JOIN_WATCH=on "$1" -o g.log -- sh -c "sh -c \"exit 1\""; grep -Eq "$2" g.log' sh "$JR" "$AWAIT_RE"

# Help, version, usage.
"$JR" --help >help.out 2>&1
check help-exit status 0 "$JR" --help
for f in -o --output -f --format --watch --summary --trace --plot --markdown --report --help --version --prepare --export-json --export-markdown; do
  check "help-names-$f" grep -q -- "$f" help.out
done
check version sh -c '"$1" --version | grep -Eqx "joinrun [0-9]+\.[0-9]+.*"' sh "$JR"
check markdown-alone status 2 "$JR" --markdown -- touch ran-md
check markdown-alone-nothing-ran test ! -e ran-md
check markdown-summary status 0 "$JR" --markdown --summary -- true

# A static CMD: one note; a dynamic one: none.
echo 'int main(void) { return 0; }' >st.c
if cc -static -o st st.c 2>/dev/null; then
  "$JR" -- ./st 2>st.err
  check static-note test "$(grep -c '^joinrun: ./st is a static binary' st.err)" = 1
else
  echo "ok static-note # SKIP no static libc"
fi
"$JR" -- true 2>dyn.err
check static-no-note-for-dynamic test ! -s dyn.err

# --summary: a name with an escape sequence and a newline prints neither.
name=$(printf 'a\033[31mb\nc')
cp /bin/true "$name"
"$JR" --summary -- "./$name" >sum.out 2>&1
check summary-no-escape sh -c '! grep -q "$(printf "\033")" sum.out'
check summary-row-whole grep -Eq '^a\?\[31mb(\?c)? +1 ' sum.out

# The plot: a zombie never reaped (its exit known only as an upper bound) is drawn.
cat >zombie.jsonl <<'J'
{"event":"fork","pid":10,"comm":"joinrun","t_ns":1000000000,"child":11,"how":"joinrun"}
{"event":"fork","pid":11,"comm":"zom","t_ns":1010000000,"child":12,"how":"fork"}
{"event":"exit","pid":11,"comm":"zom","t_ns":1015000000,"child":12,"code":3,"core":false,"exact":false}
{"event":"report","pid":11,"comm":"zom","t_ns":1210000000,"running":[],"zombies":[{"child":12,"child_comm":"zom","age_ms":195}]}
{"event":"reap","pid":10,"comm":"joinrun","t_ns":1211000000,"child":11,"child_comm":"zom","tid":10,"call":"wait4","core":false,"user_ms":0,"sys_ms":1,"real_ms":201,"exact":false,"late_ms":null,"tracked":true,"approx":false,"code":0}
J
"$JR" --report zombie.jsonl --plot zombie.svg >/dev/null 2>&1
check plot-zombie-span grep -q 'fill="#e8553f"/><text[^>]*>exit 3' zombie.svg
"$JR" --report zombie.jsonl --trace zombie.json >/dev/null 2>&1
check trace-zombie-slice python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert any(e.get("name")=="zombie" for e in d["traceEvents"])' zombie.json
