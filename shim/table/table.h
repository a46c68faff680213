/* SPDX-License-Identifier: MIT */
/*
 * table.h - the shadow table of this process's children, keyed by pid.
 *
 * A fork record (the creating call returned a pid) and a reap record (a
 * wait call collected that pid) may arrive in either order: a SIGCHLD
 * handler or another thread can reap a child before the forking thread
 * records it.  While creating calls are in flight, a reap that finds no
 * entry is parked and merged when its fork record arrives.
 */
#ifndef JOIN_TABLE_H
#define JOIN_TABLE_H
#include <stdint.h>
#include <sys/types.h>
#include "base/record.h"

struct join_child_info {
	pid_t pid;
	uint8_t how;
	uint64_t fork_ns, exit_ns; /* exit_ns 0: not seen (the exact instant is the collector's) */
};

/* Counters for the exit report and the tests. */
struct join_counts {
	unsigned long tracked;   /* fork records */
	unsigned long reaped;    /* reap records settled against a fork record */
	unsigned long untracked; /* reaps of children we never saw born */
	unsigned long oom;       /* fork records lost to arena exhaustion */
	unsigned long expired;   /* entries dropped: kernel reaped (SIGCHLD ignored) */
	unsigned long live;      /* entries now */
};

/* A creating call is about to run: returns its fork instant. */
uint64_t join_table_begin(void);
/* It returned pid in the parent (pid <= 0: it failed).  If the child was
 * already reaped, fills *done with the completed record and returns 1. */
int join_table_end(pid_t pid, uint64_t fork_ns, int how, struct join_rec *done);
/* A child was reaped: completes r from its entry and removes it (1), parks r
 * until its fork record arrives (2, do not log yet), or finds it untracked (0). */
int join_table_settle(struct join_rec *r);
/* Cheap, lock-free: may pid be in the table?  0 means surely not. */
int join_table_maybe(pid_t pid);
/* Is a creating call in flight (a fork record may be coming)? */
int join_table_inflight(void);
/* Drops every orphan (wait said ECHILD for all children) or one pid if it is one. */
void join_table_expire_all(void);
void join_table_expire(pid_t pid);
/* SIGCHLD is now ignored (or SA_NOCLDWAIT): the kernel reaps the children we
 * have, so their entries become orphans, which an ECHILD expires. */
void join_table_orphan_all(void);
/* A parked reap whose fork record can no longer come (no creating call in
 * flight): fills *out with it, now untracked, and returns 1; else 0. */
int join_table_stale(struct join_rec *out);
/* Writes the records that updates deferred by a nested signal handler (defer.h)
 * completed; the engine calls it after each of its table calls, outside the lock. */
void join_table_flush(void (*write)(const struct join_rec *));
/* Where the -DJOIN_TEST build calls join_test_hook inside the section. */
enum { JOIN_HOOK_END, JOIN_HOOK_SETTLE };
/* pid exited at t (exact; for tests and a future in-process source); 0 if untracked. */
int join_table_exited(pid_t pid, uint64_t t);
/* Copies up to max entries into v (for the exit report); returns the count. */
size_t join_table_list(struct join_child_info *v, size_t max);
/* Finds one entry; returns 1 if present. */
int join_table_find(pid_t pid, struct join_child_info *out);
/* In a forked child: no children, a fresh lock. */
void join_table_reset(void);
void join_table_counts(struct join_counts *c);
/* Lock-free, so without a system call: 1 when no child was ever recorded (nor is
 * being), as in most processes at their exit. */
int join_table_idle(void);
#endif
