/*
 * ring.h - a bounded queue of pids from any thread (or signal handler) to one
 * consumer thread: no lock, no malloc, no descriptor.  All-zero memory is an
 * empty ring, so a static ring costs nothing until it is used.  The consumer
 * sleeps on a futex; a producer wakes it only when it sleeps.
 */
#ifndef JOIN_RING_H
#define JOIN_RING_H
#include <stdint.h>
#include <sys/types.h>

#define JOIN_RING_SLOTS 256 /* a power of two; the ring fits one page */

struct join_ring {
	uint32_t tail;     /* next position to claim (producers) */
	uint32_t head;     /* next position to take (the consumer only) */
	uint32_t seq;      /* futex word: bumped at every push */
	uint32_t sleeping; /* the consumer is (about to be) in futex_wait */
	struct {
		uint32_t turn; /* position-relative sequence: see ring.c */
		pid_t pid;
	} slot[JOIN_RING_SLOTS];
};

/* Any thread, async-signal-safe: 1 queued, 0 full (the pid is dropped). */
int join_ring_push(struct join_ring *r, pid_t pid);
/* The consumer: 1 with *pid, 0 when nothing is ready. */
int join_ring_pop(struct join_ring *r, pid_t *pid);
/* The consumer: sleeps until a push may have happened since the ring was empty. */
void join_ring_wait(struct join_ring *r);
/* Empty again (no producer or consumer may be running). */
void join_ring_reset(struct join_ring *r);
#endif
