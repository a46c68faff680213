/* SPDX-License-Identifier: MIT */
/*
 * producer.c - the ring seen from a process of the tree: mapped at its first
 * event, not at exec (a process that makes no child pays nothing), and kept
 * in ordinary memory, so a forked child inherits the mapping and the pointer
 * without a write.
 */
#include "base/state.h"
#include "ring/producer.h"
#include "base/config.h"
#include "emit.h"
#include "log/event.h"
#include "log/log.h"
#include "ring/ring.h"
#include "ring/ringfile.h"
#include <time.h>
#include <unistd.h>

static struct join_ring *ring;
static int tried;

JOIN_CHILD_PATH struct join_ring *join_producer_ring(void)
{
	struct join_ring *r = __atomic_load_n(&ring, __ATOMIC_ACQUIRE);
	if (r || !join_cfg.ring_path[0] || __atomic_load_n(&tried, __ATOMIC_ACQUIRE))
		return r;
	if (__atomic_exchange_n(&tried, 1, __ATOMIC_ACQ_REL))
		return __atomic_load_n(&ring, __ATOMIC_ACQUIRE); /* another thread maps it */
	r = join_ring_map(join_cfg.ring_path);
	__atomic_store_n(&ring, r, __ATOMIC_RELEASE);
	return r;
}

struct join_ring *join_producer_mapped(void)
{
	return __atomic_load_n(&ring, __ATOMIC_ACQUIRE);
}

void join_takeover(struct join_ring *r)
{
	uint32_t none = 0;
	pid_t self = join_self_pid();
	if (__atomic_load_n(&r->h.drainer, __ATOMIC_ACQUIRE) ||
	    !__atomic_compare_exchange_n(&r->h.drainer, &none, (uint32_t)self, 0, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE))
		return;
	uint64_t end = join_ring_close(r);
	uint64_t pos = __atomic_load_n(&r->h.head, __ATOMIC_ACQUIRE);
	struct join_event ev;
	int waited = 0;
	while (pos < end) {
		int k = join_ring_take(r, pos, &ev, waited);
		if (k == 0) { /* a producer between its add and its publish */
			struct timespec ms = {0, 1000000};
			nanosleep(&ms, NULL);
			waited++;
			continue;
		}
		if (k == 1)
			join_emit_here(&ev);
		waited = 0;
		join_ring_release(r, ++pos);
	}
}

int join_producer_lost(int err)
{
	struct join_ring *r = join_producer_ring();
	if (!r || !join_ring_alive(r) ||
	    (__atomic_load_n(&r->h.tail, __ATOMIC_ACQUIRE) & JOIN_RING_CLOSED))
		return 0; /* no collector left to say it */
	if (!__atomic_exchange_n(&r->h.lost_set, 1, __ATOMIC_ACQ_REL))
		__atomic_store_n(&r->h.lost_err, err, __ATOMIC_RELEASE);
	__atomic_add_fetch(&r->h.lost, 1, __ATOMIC_RELEASE);
	return 1;
}
