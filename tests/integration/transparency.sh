#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Transparency: real programs' own tests run natively and preloaded (log to a file),
# outcomes compared test by test: CPython's process tests (regrtest, JUnit XML, each
# test case's outcome), shell scripts under bash and dash (output, stderr and exit
# status byte for byte), GNU make recursive builds (statuses, outputs, products).
# Zero differences are wanted; each one is printed.  REL_TRANSPARENCY=full runs more
# of CPython's suite (make transparency).
. "$(dirname "$0")/lib.sh"
[ -z "${REL_SAN:-}" ] || exit 0
FULL=${REL_TRANSPARENCY:-}
echo 0 >"$T/diffs"
diffs() { echo $(($(cat "$T/diffs") + $1)) >"$T/diffs"; }

# ---- CPython: regrtest with JUnit XML, compared test case by test case
PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
PYTESTS="test_subprocess test_wait3 test_wait4 test_fork1 test_popen test_posix test_pty"
[ -z "$FULL" ] || PYTESTS="$PYTESTS test_signal test_os test_threading test_cmd_line test_multiprocessing_main_handling test_socketserver"
outcomes() { # XML: "class.name outcome" lines, sorted
  "$PY0" - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
for tc in ET.parse(sys.argv[1]).iter("testcase"):
    kids = {c.tag for c in tc}
    o = "failure" if "failure" in kids else "error" if "error" in kids else "skipped" if "skipped" in kids else "passed"
    cls, name = tc.get("classname"), tc.get("name", "")
    print(f'{cls + "." if cls else ""}{name} {o}')
PY
}
cpython() {
  "$PY" -m test $PYTESTS --junit-xml "$T/py.n.xml" >"$T/py.n.out" 2>&1
  JOIN_LOG=$T/py.log LD_PRELOAD=$LIB "$PY" -m test $PYTESTS --junit-xml "$T/py.p.xml" >"$T/py.p.out" 2>&1
  outcomes "$T/py.n.xml" | sort >"$T/py.n" && outcomes "$T/py.p.xml" | sort >"$T/py.p" || return 1
  local n d flaky=0 id; n=$(wc -l <"$T/py.n")
  [ "$n" -gt 100 ] || { echo "only $n test cases ran"; tail -5 "$T/py.n.out"; return 1; }
  # A test case whose outcome differed runs again, alone, both ways, twice: a
  # difference that does not come back is the test's own timing, and is shown.
  : >"$T/py.real"
  for id in $(diff "$T/py.n" "$T/py.p" | sed -n 's/^[<>] \([^ ]*\) .*/\1/p' | sort -u | head -20); do
    if again "$id"; then flaky=$((flaky + 1)); echo "$id" >>"$T/py.flaky"; else echo "$id" >>"$T/py.real"; fi
  done
  d=$(wc -l <"$T/py.real")
  diffs "$d"
  echo "$n test cases, $d differences ($flaky more not reproduced), $(grep -Ec "$AWAIT_RE" "$T/py.log") children recorded" >"$T/py.figure"
  [ "$d" = 0 ] || { echo "outcomes differ (native <, preloaded >):"; diff "$T/py.n" "$T/py.p" | grep -F -f "$T/py.real" | head -20; return 1; }
}
again() { # ID: the same outcome natively and preloaded, two runs in a row
  local i
  for i in 1 2; do
    "$PY" -m test $PYTESTS -m "$1" --junit-xml "$T/a.n.xml" >/dev/null 2>&1
    JOIN_LOG=$T/py.log LD_PRELOAD=$LIB "$PY" -m test $PYTESTS -m "$1" --junit-xml "$T/a.p.xml" >/dev/null 2>&1
    [ "$(outcomes "$T/a.n.xml")" = "$(outcomes "$T/a.p.xml")" ] || return 1
  done
}
# The system's interpreter; in the full run in watch mode also pyenv's 3.12 and later
# (the process tests only), which warn at a fork in a multithreaded process: the
# difference a thread of ours would make.
PY0=$PY
PYS=$PY
PYTESTS0=$PYTESTS
if [ -n "$FULL" ] && [ "${JOIN_WATCH:-0}" = 1 ]; then
  root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
  PYS="$PYS $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | tr '\n' ' ')"
fi
for PY in $PYS; do
  v=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
  rm -f "$T/py.figure" "$T/py.flaky" "$T/py.log"
  [ "$PY" = "$PY0" ] && PYTESTS=$PYTESTS0 || PYTESTS="test_subprocess test_wait3 test_wait4 test_fork1 test_popen test_posix test_pty"
  if "$PY" -m test --help >/dev/null 2>&1 && "$PY" -c 'import test.test_subprocess' 2>/dev/null; then
    check transparency-cpython-$v cpython
    if [ -s "$T/py.figure" ]; then echo "# cpython $v ($PYTESTS): $(cat "$T/py.figure")"; fi
    if [ -s "$T/py.flaky" ]; then echo "# not reproduced when run again: $(tr '\n' ' ' <"$T/py.flaky")"; fi
  else
    echo "ok transparency-cpython-$v # SKIP no CPython test suite (python3 -m test; Debian: libpython3-testsuite)"
  fi
done
PY=$PY0
PYTESTS=$PYTESTS0

# ---- descriptors: after children were made and reaped, the program sees the same
# open descriptors and gets the same next one, in every log mode and with the watcher
fds() {
  cat >"$T/fds.py" <<'PY'
import os, subprocess, time
subprocess.run(["true"])
p = os.fork()
if p == 0:
    os._exit(3)
time.sleep(0.05)
os.waitpid(p, 0)
subprocess.run("exit 2", shell=True)
print(sorted(int(f) for f in os.listdir("/proc/self/fd")), os.open("/dev/null", os.O_RDONLY))
PY
  local want got mode bad=0
  want=$("$PY" "$T/fds.py")
  for mode in "JOIN_LOG=$T/f.log" "JOIN_LOG=$T/f.log JOIN_WATCH=1" "JOIN_LOG=fd:2" \
              "JOIN_LOG=$T/f.log JOIN_FORMAT=jsonl JOIN_WATCH=1" "JOIN_LOG=off"; do
    got=$(env $mode LD_PRELOAD="$LIB" "$PY" "$T/fds.py" 2>/dev/null)
    [ "$got" = "$want" ] || { echo "$mode: $got, natively $want"; bad=$((bad + 1)); }
  done
  diffs $bad
  [ $bad = 0 ]
}
if [ -n "$PY" ]; then check transparency-fds fds; fi

# ---- shell scripts: the same bytes out, the same status, under bash and dash
SCRIPTS=$T/sh
mkdir -p "$SCRIPTS"
cat >"$SCRIPTS/statuses.sh" <<'SH'
(exit 3); echo "subshell $?"
sh -c 'exit 4'; echo "sh -c $?"
false | true; echo "pipe $?"
sh -c 'kill -TERM $$'; echo "TERM $?"
sh -c 'kill -KILL $$'; echo "KILL $?"
sh -c 'kill -INT $$'; echo "INT $?"
s=0; i=0; while [ $i -lt 200 ]; do i=$((i + 1)); (exit $((i % 7))); s=$((s + $?)); done; echo "sum $s"
set -e; (false) || echo "caught"; set +e
f() { return 5; }; f; echo "function $?"
x=$(exit 6); echo "substitution $?"
SH
cat >"$SCRIPTS/pipes.sh" <<'SH'
seq 1 2000 | sort -rn | head -3
echo a b c | (read x y z; echo "read $z $y $x")
x=$(echo $(echo $(echo deep))); echo "$x"
printf '%s\n' 3 1 2 | sort | tr '\n' ' '; echo
yes | head -c 100000 | wc -c
cat <<END | sed 's/^/| /'
here doc $(echo with substitution)
END
seq 1 30 | xargs -n 3 sh -c 'echo $#' sh | sort | uniq -c
find /etc -maxdepth 1 -name 'hostname' -exec cat /dev/null {} \; ; echo "find $?"
SH
cat >"$SCRIPTS/jobs.sh" <<'SH'
sleep 0.2 & a=$!
(exit 7) & b=$!
wait $b; echo "b $?"
wait $a; echo "a $?"
wait; echo "all $?"
wait 1 2>/dev/null; echo "not a child $?"
f() { return 9; }; f & wait $!; echo "function in background $?"
for i in 1 2 3 4 5; do (sleep 0.0$i; exit $i) & done; wait; echo "five $?"
sleep 5 & k=$!; kill $k; wait $k; echo "killed $?"
(trap '' CHLD; sh -c 'sleep 0.05 & wait; echo "inner $?"')
timeout 0.2 sleep 3; echo "timeout $?"
seq 1 20 | xargs -P 4 -n 1 sh -c 'exit 0'; echo "xargs -P $?"
SH
cat >"$SCRIPTS/bashisms.bash" <<'SH'
diff <(echo a) <(echo a) && echo "process substitution same"
sleep 0.3 & sleep 0.05 & wait -n; echo "wait -n $?"; wait
sleep 5 & kill %1; wait %1; echo "jobspec $?"
n=0; trap 'n=$((n + 1))' CHLD; (exit 1); (exit 2); trap - CHLD; [ $n -gt 0 ] && echo "CHLD trap ran"
coproc c { read l; echo "co $l"; }; echo hi >&"${c[1]}"; read -r r <&"${c[0]}"; echo "$r"; wait $c_PID; echo "coproc $?"
mapfile -t lines < <(printf '%s\n' x y z); echo "${#lines[@]}"
( ( ( exit 11 ) ) ); echo "nested $?"
SH
shells() {
  local s sh bad=0 runs=0
  for s in "$SCRIPTS"/*; do
    for sh in bash dash; do
      case $s in *.bash) [ $sh = bash ] || continue ;; esac
      command -v $sh >/dev/null || continue
      $sh "$s" >"$T/s.n.out" 2>"$T/s.n.err"; local nrc=$?
      JOIN_LOG=$T/sh.log LD_PRELOAD=$LIB $sh "$s" >"$T/s.p.out" 2>"$T/s.p.err"; local prc=$?
      runs=$((runs + 1))
      # bash names a killed job by its pid, which differs from run to run
      sed -Ei 's/: +[0-9]+ +(Killed|Terminated)/: PID \1/' "$T/s.n.err" "$T/s.p.err"
      if [ $nrc != $prc ] || ! cmp -s "$T/s.n.out" "$T/s.p.out" || ! cmp -s "$T/s.n.err" "$T/s.p.err"; then
        echo "$sh $(basename "$s"): status $prc (natively $nrc)"; diff "$T/s.n.out" "$T/s.p.out" | head -5
        diff "$T/s.n.err" "$T/s.p.err" | head -5; bad=$((bad + 1))
      fi
    done
  done
  diffs $bad
  echo "$runs script runs, $bad differences, $(grep -Ec "$AWAIT_RE" "$T/sh.log") children recorded" >"$T/sh.figure"
  [ $bad = 0 ]
}
check transparency-shells shells
echo "# shells (bash, dash): $(cat "$T/sh.figure")"

# ---- GNU make: a recursive build with -j, a failing part under -k, $(shell)
mkproject() { # DIR
  mkdir -p "$1"/lib "$1"/app "$1"/broken
  cat >"$1/Makefile" <<'MK'
SUBDIRS = lib app
all:
	@for d in $(SUBDIRS); do $(MAKE) -C $$d || exit 1; done
	@echo top done
check: all
	@$(MAKE) -C broken -k; echo "broken gave $$?"
	@echo "shell says $(shell echo hi; exit 3)"
clean:
	@for d in $(SUBDIRS) broken; do $(MAKE) -C $$d clean; done
MK
  for i in 1 2 3 4 5 6; do printf 'int f%d(void) { return %d; }\n' $i $i >"$1/lib/f$i.c"; done
  cat >"$1/lib/Makefile" <<'MK'
OBJ = $(patsubst %.c,%.o,$(sort $(wildcard *.c)))
libf.a: $(OBJ)
	@ar rcs $@ $^ && echo "ar $@"
%.o: %.c
	@$(CC) -O1 -c -o $@ $< && echo "cc $<"
clean:
	@rm -f *.o *.a
MK
  cat >"$1/app/main.c" <<'C'
int f1(void), f6(void);
int main(void) { return f1() + f6() == 7 ? 0 : 1; }
C
  cat >"$1/app/Makefile" <<'MK'
app: main.c ../lib/libf.a
	@$(CC) -o $@ main.c ../lib/libf.a && echo "link $@"
	@./app && echo "app ran"
clean:
	@rm -f app
MK
  cat >"$1/broken/Makefile" <<'MK'
all: ok1 bad ok2
ok1 ok2:
	@echo "$@ made"
bad:
	@exit 2
clean:
	@true
MK
}
make_build() {
  local how bad=0
  for how in native preloaded; do
    rm -rf "$T/mk.$how"; mkproject "$T/mk.$how"
    local pre=(); [ $how = preloaded ] && pre=(env JOIN_LOG="$T/mk.log" LD_PRELOAD="$LIB")
    ( cd "$T/mk.$how" && "${pre[@]}" make -s -j4 check >out 2>err; echo "status $?" >>out
      "${pre[@]}" make -s clean >>out 2>>err; "${pre[@]}" make -s -j1 check >>out 2>>err; echo "status $?" >>out
      sha256sum lib/libf.a app/app | cut -c1-64 >sums )
    sort "$T/mk.$how/out" >"$T/mk.$how.out"   # -j interleaves lines
  done
  sed "s|$T/mk.native|DIR|g" "$T/mk.native/err" | sort >"$T/mk.n.err"
  sed "s|$T/mk.preloaded|DIR|g" "$T/mk.preloaded/err" | sort >"$T/mk.p.err"
  cmp -s "$T/mk.native.out" "$T/mk.preloaded.out" || { echo "make output differs:"; diff "$T/mk.native.out" "$T/mk.preloaded.out"; bad=$((bad + 1)); }
  cmp -s "$T/mk.n.err" "$T/mk.p.err" || { echo "make stderr differs:"; diff "$T/mk.n.err" "$T/mk.p.err"; bad=$((bad + 1)); }
  cmp -s "$T/mk.native/sums" "$T/mk.preloaded/sums" || { echo "products differ"; bad=$((bad + 1)); }
  grep -q 'app ran' "$T/mk.native.out" && grep -q 'broken gave 2' "$T/mk.native.out" || { echo "the build did not do what it should"; cat "$T/mk.native.out"; bad=$((bad + 1)); }
  diffs $bad
  echo "$bad differences, $(grep -Ec "$AWAIT_RE" "$T/mk.log") children recorded" >"$T/mk.figure"
  [ $bad = 0 ]
}
check transparency-make make_build
echo "# make (recursive, -j4 and -j1, -k): $(cat "$T/mk.figure")"
echo "# transparency: $(cat "$T/diffs") differences in all"
