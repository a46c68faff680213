/* SPDX-License-Identifier: MIT */
/*
 * producer.c - the ring seen from a process of the tree: mapped at its first
 * event, not at exec (a process that makes no child pays nothing), and kept
 * in ordinary memory, so a forked child inherits the mapping and the pointer
 * without a write.
 */
#include "base/hotpage.h"
#include "base/self.h"
#include "ring/producer.h"
#include "base/config.h"
#include "text/event.h"
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
