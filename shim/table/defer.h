/* SPDX-License-Identifier: MIT */
/*
 * defer.h - table updates deferred by a signal handler that interrupted its own
 * thread inside the table's section (lock.h).  The handler cannot wait, so it
 * pushes the update on a lock-free list; the owner applies every pending update
 * before it releases the lock, and a record completed that way goes on a second
 * list, written by the next engine call that flushes it (after the lock).
 * Nodes come from a static pool of 64, taken and given back with one atomic
 * operation on a bitmap: no malloc, no system call.
 */
#ifndef JOIN_DEFER_H
#define JOIN_DEFER_H
#include "base/record.h"
#include <stdint.h>
#include <sys/types.h>

enum join_defer_op { JOIN_DEFER_END, JOIN_DEFER_SETTLE, JOIN_DEFER_EXPIRE, JOIN_DEFER_ORPHAN };

struct join_deferred {
	struct join_deferred *next;
	int op;              /* enum join_defer_op */
	pid_t pid;           /* END, EXPIRE (-1: every orphan) */
	int how;             /* END */
	uint64_t t_ns;       /* END: the fork instant */
	struct join_rec rec; /* SETTLE: the reap record; END: the merged one */
};

/* A free node, or NULL when all are in use. */
struct join_deferred *join_defer_new(void);
void join_defer_free(struct join_deferred *d);
/* Pending updates: pushed by a nested handler, taken (oldest first) by the owner. */
void join_defer_push(struct join_deferred *d);
struct join_deferred *join_defer_take(void);
int join_defer_waiting(void);
/* Records completed by a deferred update, written by whoever flushes them. */
void join_defer_done(struct join_deferred *d);
void join_defer_flush(void (*write)(const struct join_rec *));
/* In a forked child: nothing pending. */
void join_defer_reset(void);
#endif
