/* SPDX-License-Identifier: MIT */
/*
 * collect.h - the collector of a tree (collect.c): joinrun runs it in its own
 * process; a bare JOIN_WATCH=1 root starts one before main (spawn.c).
 */
#ifndef JOIN_COLLECT_H
#define JOIN_COLLECT_H
#include <stdint.h>
#include <sys/types.h>

struct join_ring;
struct join_collect_stats {
	uint64_t events, lines, zombies;
	uint64_t holes, bad; /* slots skipped: producer died in mid-slot; not an event */
	uint64_t skipped;    /* never claimed: the producer gave up (and wrote it itself) */
	uint64_t unwatched;  /* children with no pidfd (pidfd_open failed) */
	uint64_t lost;       /* records that did not reach the log (full, limit, ...) */
	int lost_err;        /* the first one's errno; 0: a descriptor held another file */
	uint64_t orphans;    /* reaped by us, the tree's subreaper */
	uint64_t running;    /* processes of the tree still running at the end */
	uint64_t opaque[4];  /* reaps marked opaque, by enum join_opaque */
	/* The root, which joinrun reaps and records itself: */
	uint64_t root_exit_ns;                      /* when we saw it exit; 0 unknown */
	uint64_t root_acc_user_us, root_acc_sys_us; /* its reaps' inclusive CPU */
	long root_acc_rss;                          /* their largest peak RSS, KiB */
	uint8_t root_opaque;                        /* enum join_opaque: its last image */
};

/* Registers the caller's thread as the ring's owner: the kernel marks the ring's
 * owner word when it dies (robust futex).  Before the tree starts. */
void join_collect_own(struct join_ring *r);
/* joinrun: we are the tree's child subreaper (PR_SET_CHILD_SUBREAPER, set before the
 * root was made): orphans are reaped and recorded; with wait_all we run until every
 * process of the tree has ended.  Before join_collect. */
void join_collect_subreaper(int wait_all);
/* Runs until root has exited (rootfd: its pidfd, or -1 to poll /proc) and the ring
 * is drained; the log as join_cfg says.  Returns 0; stats if st. */
int join_collect(struct join_ring *r, pid_t root, int rootfd, struct join_collect_stats *st);
#endif
