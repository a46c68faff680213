#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Plan 9 await records from unmodified programs, and transparency: each program
# runs natively and preloaded (log to a file); stdout, stderr and exit status
# must be identical, and the log must hold one record per child the program
# reaped, counted independently by strace on the native run.
. "$(dirname "$0")/lib.sh"
cd "$T"

# reaps CMD...: how many children the native run reaps (wait4/waitid that collect an exit).
reaps() {
  strace -f -qq -e trace=wait4,waitid -e signal=none -o "$T/trace" "$@" >/dev/null 2>&1
  local a b
  a=$(grep -E '= [1-9][0-9]*$' "$T/trace" | grep -cE 'WIFEXITED|WIFSIGNALED')
  b=$(grep -E 'CLD_(EXITED|KILLED|DUMPED)' "$T/trace" | grep -v WNOWAIT | grep -c '= 0$')
  echo $((a + b))
}

# same NAME CMD...: native and preloaded runs agree, and records == reaps.
same() {
  local name=$1; shift
  "$@" >"$T/n.out" 2>"$T/n.err"; local rn=$?
  rm -f "$T/log"
  JOIN_LOG=$T/log LD_PRELOAD=$LIB "$@" >"$T/p.out" 2>"$T/p.err"; local rp=$?
  if [ $rn != $rp ] || ! cmp -s "$T/n.out" "$T/p.out" || ! cmp -s "$T/n.err" "$T/p.err"; then
    echo "not ok $name: differs (exit $rn vs $rp)"; diff "$T/n.out" "$T/p.out" | head -5; diff "$T/n.err" "$T/p.err" | head -5
    return
  fi
  echo "ok $name: same output and status"
  if command -v strace >/dev/null; then
    local want got
    want=$(reaps "$@")
    got=$(grep -cE "$AWAIT_RE" "$T/log" 2>/dev/null)
    if [ "$want" = "${got:-0}" ]; then echo "ok $name: $got records for $want reaps"
    else echo "not ok $name: $got records for $want reaps"; head -5 "$T/log"; fi
  fi
}

same statuses "$PROGS/plain_statuses"
same bash bash -c 'for i in 1 2 3; do /bin/true; done; (exit 3); sh -c "kill -TERM \$\$"; x=$(echo hi); echo $x; ls /nonexistent 2>&1 | wc -l'
same dash dash -c '/bin/true; /bin/false; (exit 4); echo $(echo sub); /bin/true | /bin/cat'
mkdir -p mk && for i in $(seq 1 12); do echo "t$i:; @echo t$i; true"; done > mk/Makefile && echo "all: $(seq -f 't%g' 1 12 | tr '\n' ' ')" >> mk/Makefile
same make-j4 sh -c 'make -s -j4 -C mk all | sort'
same xargs-P4 sh -c 'seq 1 20 | xargs -P4 -n1 sh -c "exit \$((\$0 % 3))"; echo rc=$?'
same python-subprocess python3 -c '
import subprocess as s, os
for i in range(4): s.run(["true"])
print(s.run(["sh","-c","exit 7"]).returncode)
print(s.run("echo shell", shell=True, capture_output=True).stdout)
p = s.Popen(["sleep","0.1"]); print(p.wait())
print(s.run(["false"], close_fds=False).returncode)
print(os.system("exit 3") >> 8)'
same perl perl -e 'system("true"); print `echo back`; system("sh", "-c", "exit 5"); print $? >> 8, "\n"; open(my $f, "-|", "echo", "piped"); print <$f>; close $f'

# The records themselves.
PIDS=$T/pids JOIN_LOG=$T/s.log LD_PRELOAD=$LIB "$PROGS/plain_statuses" >/dev/null
pid() { awk -v k="$1" '$1 == k { print $2 }' "$T/pids"; }
check "code 255 record" grep -Eq "$AWAIT_RE'plain_statuses [0-9]+: 255'\$" "$T/s.log"
check "code 0 record is ''" grep -Eq "$AWAIT_RE''\$" "$T/s.log"
check "SIGSEGV record" grep -Eq "$AWAIT_RE'plain_statuses [0-9]+: sys: segmentation violation'\$" "$T/s.log"
check "SIGKILL record" grep -Eq "$AWAIT_RE'plain_statuses [0-9]+: kill'\$" "$T/s.log"
check "realtime signal record" grep -Eq "$AWAIT_RE'plain_statuses [0-9]+: sys: signal 40'\$" "$T/s.log"
check "core dumped record" grep -Eq "^$(pid core) .*sys: abort \(core dumped\)'\$" "$T/s.log"
check "WNOWAIT then wait: one record" test "$(grep -c "^$(pid wnowait) " "$T/s.log")" = 1
check "EINTR then wait: one record" test "$(grep -c "^$(pid eintr) .*: 7'\$" "$T/s.log")" = 1
check "EINTR child real time ~600 ms" awk -v p="$(pid eintr)" '$1 == p { exit !($4 >= 550 && $4 < 2000) }' "$T/s.log"
check "busy child user+sys >= 70 ms" awk -v p="$(pid busy)" '$1 == p { exit !($2 + $3 >= 70) }' "$T/s.log"
check "stopped and continued are not records" test "$(grep -c ': sys: stop' "$T/s.log")" = 0

# Configuration of the log.
JOIN_LOG=off LD_PRELOAD=$LIB sh -c '/bin/true; /bin/false' 2>"$T/off.err"
check "JOIN_LOG=off writes nothing" test ! -s "$T/off.err"
JOIN_LOG=fd:5 LD_PRELOAD=$LIB sh -c '/bin/false' 5>"$T/fd5" 2>/dev/null
check "JOIN_LOG=fd:5" grep -Eq "$AWAIT_RE'false [0-9]+: 1'\$" "$T/fd5"
LD_PRELOAD=$LIB sh -c '/bin/false' 2>"$T/stderr.log"
check "default log is stderr" grep -Eq "$AWAIT_RE'false [0-9]+: 1'\$" "$T/stderr.log"
mkdir -p rel rel/sub && (cd rel && JOIN_LOG=tree.%p.log LD_PRELOAD=$LIB sh -c 'cd sub; /bin/false; sh -c "/bin/false"')
# Each process fixes a relative path when it loads: the outer sh in rel/, the inner one in rel/sub.
check "relative %p path, fixed at load" test "$(ls rel | grep -c '^tree\.[0-9]*\.log$')" = 1
check "relative %p path, per process" test "$(ls rel/sub | grep -c '^tree\.[0-9]*\.log$')" = 1
JOIN_STYLE=p9p JOIN_LOG=$T/p9p.log LD_PRELOAD=$LIB sh -c '/bin/false; sh -c "kill -SEGV \$\$"'  2>/dev/null
check "p9p style: bare exit code" grep -Eq "^[0-9]+ [0-9]+ [0-9]+ [0-9]+ 1\$" "$T/p9p.log"
check "p9p style: signal form" grep -Eq "'signal: sys: segmentation violation'\$" "$T/p9p.log"

# Exports: exactly the names of the version script made for this target.
want=$(sed -n 's/^[[:space:]]*global:\(.*\)/\1/p; /^[[:space:]]*[a-z_][a-z_0-9]*;/p' "$B/libjoin.map" | tr ' ;\t' '\n' | grep -v '^$' | grep -v '^join_\*$' | sort -u)
have=$(nm -D --defined-only "$LIB" | awk '{print $3}' | sed 's/@.*//' | grep -v '^join_' | sort -u)
check "exported libc names = version script" test "$want" = "$have"
check "join_ exports are in join.h" sh -c "for f in \$(nm -D --defined-only '$LIB' | awk '{print \$3}' | sed 's/@.*//' | grep '^join_'); do grep -q \"\\b\$f(\" '$ROOT/include/join.h' || { echo \$f; exit 1; }; done"
