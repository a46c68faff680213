/* SPDX-License-Identifier: MIT */
/*
 * ring.c - the ring's protocol (ring.h): one atomic add reserves a position,
 * a release store of the slot's sequence publishes it, the collector reads in
 * order.  Nothing here makes a system call on the producer's way but the wake
 * signal to a sleeping collector behind a ring past half full.
 */
#include "base/hotpage.h"
#include "ring/ring.h"
#include "base/proc.h"
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define N    JOIN_RING_SLOTS
#define MASK (JOIN_RING_SLOTS - 1)

JOIN_CHILD_PATH int join_ring_alive(const struct join_ring *r)
{
	uint32_t o = __atomic_load_n(&r->h.owner, __ATOMIC_ACQUIRE);
	return o != 0 && !(o & FUTEX_OWNER_DIED);
}

JOIN_CHILD_PATH JOIN_CHILD_PATH int join_ring_room(const struct join_ring *r)
{
	uint64_t t = __atomic_load_n(&r->h.tail, __ATOMIC_ACQUIRE);
	uint64_t h = __atomic_load_n(&r->h.head, __ATOMIC_ACQUIRE);
	if (!join_ring_alive(r) || (t & JOIN_RING_CLOSED) || t - h >= N - JOIN_RING_SLACK)
		return 0;
	return (int)(N - JOIN_RING_SLACK - (t - h));
}

int join_ring_open_for(const struct join_ring *r)
{
	return join_ring_room(r) > 0;
}

/* More producers raced the full check than the slack allows: the slot at pos is
 * still last lap's.  Wait for the collector while it lives. */
JOIN_CHILD_PATH static int wait_free(struct join_ring *r, uint64_t pos)
{
	for (unsigned spins = 0; pos - __atomic_load_n(&r->h.head, __ATOMIC_ACQUIRE) >= N;
	     spins++) {
		if (!join_ring_alive(r) || spins > 10000)
			return 0;
		if (spins % 64 == 0)
			kill(r->h.collector, SIGURG);
		sched_yield();
	}
	return 1;
}

JOIN_CHILD_PATH static void wake(struct join_ring *r, uint64_t pos)
{
	if (!__atomic_load_n(&r->h.sleeping, __ATOMIC_ACQUIRE))
		return;
	if (pos - __atomic_load_n(&r->h.head, __ATOMIC_ACQUIRE) < N / 2)
		return;
	int err = errno;
	if (__atomic_exchange_n(&r->h.sleeping, 0, __ATOMIC_ACQ_REL))
		kill(r->h.collector, SIGURG);
	errno = err;
}

JOIN_CHILD_PATH int join_ring_put(struct join_ring *r, const struct join_event *ev, pid_t self)
{
	if (!join_ring_open_for(r))
		return 0;
	uint64_t pos = __atomic_fetch_add(&r->h.tail, 1, __ATOMIC_ACQ_REL);
	if (pos & JOIN_RING_CLOSED)
		return 0;
	if (pos - __atomic_load_n(&r->h.head, __ATOMIC_ACQUIRE) >= N && !wait_free(r, pos))
		return 0; /* the collector sees a hole here, and counts it */
	struct join_slot *s = &r->slot[pos & MASK];
	__atomic_store_n(&s->claim, (uint64_t)(uint32_t)pos << 32 | (uint32_t)self,
	                 __ATOMIC_RELAXED); /* ordered before the reader by seq's release */
	memcpy(&s->ev, ev, sizeof *ev);
	__atomic_store_n(&s->seq, pos + 1, __ATOMIC_RELEASE);
	wake(r, pos);
	return 1;
}

/* A producer that claimed a slot and never published it: gone, or a zombie. */
static int gone(pid_t pid)
{
	if (pid <= 0)
		return 1;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return 1;
	char st = join_proc_state(pid, NULL);
	return st == 'Z' || st == 'X' || st == '?';
}

int join_ring_take(struct join_ring *r, uint64_t pos, struct join_event *ev, int waited_ms)
{
	struct join_slot *s = &r->slot[pos & MASK];
	if (__atomic_load_n(&s->seq, __ATOMIC_ACQUIRE) == pos + 1) {
		memcpy(ev, &s->ev, sizeof *ev);
		if (join_event_valid(ev))
			return 1;
		__atomic_add_fetch(&r->h.bad, 1, __ATOMIC_RELAXED);
		return -2;
	}
	uint64_t claim = __atomic_load_n(&s->claim, __ATOMIC_ACQUIRE);
	int claimed = (uint32_t)(claim >> 32) == (uint32_t)pos;
	pid_t who = (pid_t)(uint32_t)claim;
	/* Claimed: skip once its producer is gone.  Unclaimed: a producer killed between
	 * its add and its claim (or one that gave up on a full ring), after a second; so
	 * too a producer of another pid namespace (claim pid 0: none we may look at). */
	if ((claimed && who > 0 && waited_ms >= 10 && gone(who)) ||
	    (claimed && who == 0 && waited_ms >= 1000) || waited_ms >= 10000) {
		__atomic_add_fetch(&r->h.holes, 1, __ATOMIC_RELAXED);
		return -1;
	}
	if (!claimed && waited_ms >= 1000) {
		__atomic_add_fetch(&r->h.skipped, 1, __ATOMIC_RELAXED);
		return -1;
	}
	return 0;
}

void join_ring_release(struct join_ring *r, uint64_t pos)
{
	__atomic_store_n(&r->h.head, pos, __ATOMIC_RELEASE);
}

uint64_t join_ring_tail(const struct join_ring *r)
{
	return __atomic_load_n(&r->h.tail, __ATOMIC_ACQUIRE) & ~JOIN_RING_CLOSED;
}

uint64_t join_ring_close(struct join_ring *r)
{
	return __atomic_fetch_or(&r->h.tail, JOIN_RING_CLOSED, __ATOMIC_ACQ_REL) &
	       ~JOIN_RING_CLOSED;
}

void join_ring_init(struct join_ring *r, pid_t collector, int watch)
{
	memset(&r->h, 0, sizeof r->h);
	r->h.magic = JOIN_RING_MAGIC;
	r->h.version = JOIN_RING_VERSION;
	r->h.nslots = N;
	r->h.slot_size = sizeof(struct join_slot);
	r->h.head_size = sizeof(struct join_ring_head);
	r->h.collector = collector;
	r->h.watch = (uint32_t)watch;
}
