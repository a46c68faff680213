#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# 10,000 live children at once, then all reaped (tests/progs/rel_scale.c): the
# program's statuses are right under libjoin as natively, the log has one record
# per child, the table is empty at exit (fault build's counters), and the memory
# libjoin takes per live child is reported (RSS and data growth over native, and
# the arena's mapping).  REL_SCALE_N changes the count.
. "$(dirname "$0")/lib.sh"
NATIVE=$B/tests/native
FAULT=${REL_FAULT_LIB:-$B/fault/libjoin.so}
N=${REL_SCALE_N:-10000}
[ -z "${REL_SAN:-}" ] || exit 0

# Room for N more processes under this user's limit and pid_max, leaving a margin.
lim=$(ulimit -u); max=$(cat /proc/sys/kernel/pid_max)
now=$(ps -e --no-headers | wc -l)
if [ "$lim" != unlimited ] && [ $((lim - now - 500)) -lt "$N" ]; then
  echo "ok scale # SKIP ulimit -u is $lim with $now processes: no room for $N children"; exit 0
fi
if [ $((max - now - 500)) -lt "$N" ]; then
  echo "ok scale # SKIP pid_max is $max with $now processes: no room for $N children"; exit 0
fi

fig() { sed -n "s/.*\b$1 \([-0-9]*\).*/\1/p" "$2" | head -1; }

native() {
  "$NATIVE/rel_scale" "$N" >"$T/n.out" 2>&1 || { cat "$T/n.out"; return 1; }
}

preloaded() {
  rm -f "$T/p.log"
  JOIN_LOG=$T/p.log LD_PRELOAD=$LIB "$NATIVE/rel_scale" "$N" >"$T/p.out" 2>"$T/p.err" \
    || { cat "$T/p.out" "$T/p.err"; return 1; }
  [ "$(fig reaped "$T/p.out")" = "$N" ] || { cat "$T/p.out"; return 1; }
  local records; records=$(grep -Ec "$AWAIT_RE" "$T/p.log")
  [ "$records" = "$N" ] || { echo "$records records for $N children"; return 1; }
  [ "$(grep -c . "$T/p.log")" = "$N" ] || { echo "other lines:"; grep -Ev "$AWAIT_RE" "$T/p.log" | head -3; return 1; }
  [ ! -s "$T/p.err" ] || { cat "$T/p.err"; return 1; }
}

# The same under the tree's collector in watch mode: 10,000 pidfds in the collector
# (as many as its descriptor limit allows; the rest are timed at the reap), every
# record through the ring.
collector() {
  rm -f "$T/c.log"
  "$B/joinrun" --watch -o "$T/c.log" -- "$NATIVE/rel_scale" "$N" >"$T/c.out" 2>"$T/c.err" \
    || { cat "$T/c.out" "$T/c.err"; return 1; }
  [ "$(fig reaped "$T/c.out")" = "$N" ] || { cat "$T/c.out"; return 1; }
  local records; records=$(grep -Ec "$AWAIT_RE" "$T/c.log")
  [ "$records" = "$N" ] || { echo "$records records for $N children"; return 1; }
  [ ! -s "$T/c.err" ] || { cat "$T/c.err"; return 1; }
}

table_empty() {
  rm -f "$T/stats"
  JOIN_FAULT_STATS=$T/stats JOIN_LOG=off LD_PRELOAD=$FAULT "$NATIVE/rel_scale" "$N" >"$T/f.out" 2>&1 \
    || { cat "$T/f.out"; return 1; }
  local pid tracked reaped untracked oom expired live mapped
  read -r pid tracked reaped untracked oom expired live mapped < <(tail -1 "$T/stats")
  echo "$tracked $reaped $live $mapped" >"$T/counts"
  [ "$tracked" = "$N" ] && [ "$reaped" = "$N" ] && [ "$live" = 0 ] && [ "$oom" = 0 ] \
    || { echo "counters: $(cat "$T/stats")"; return 1; }
}

check scale-native native
check scale-preloaded preloaded
check scale-table-empty table_empty
check scale-collector-watch collector
if [ -s "$T/n.out" ] && [ -s "$T/p.out" ] && [ -s "$T/counts" ]; then
  read -r _ _ _ mapped <"$T/counts"
  awk -v n="$N" -v nr="$(fig rss_kb "$T/n.out")" -v pr="$(fig rss_kb "$T/p.out")" \
      -v nd="$(fig data_kb "$T/n.out")" -v pd="$(fig data_kb "$T/p.out")" -v m="$mapped" 'BEGIN {
    printf "# scale: %d children live at once, all reaped; libjoin per live child: %.0f B RSS, %.0f B data, arena %.0f B (%d KiB mapped at exit)\n",
      n, (pr - nr) * 1024 / n, (pd - nd) * 1024 / n, m / n, m / 1024 }'
fi
