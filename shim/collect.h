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
};

/* Registers the caller's thread as the ring's owner: the kernel marks the ring's
 * owner word when it dies (robust futex).  Before the tree starts. */
void join_collect_own(struct join_ring *r);
/* Runs until root has exited (rootfd: its pidfd, or -1 to poll /proc) and the ring
 * is drained; the log as join_cfg says.  Returns 0; stats if st. */
int join_collect(struct join_ring *r, pid_t root, int rootfd, struct join_collect_stats *st);
#endif
