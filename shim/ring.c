/*
 * ring.c - Vyukov's bounded queue, shifted so that zero memory is empty.
 *
 * Slot k = pos % N carries turn = seq - k, where seq runs pos (free for the
 * producer at pos), pos + 1 (filled), pos + N (taken: free for the next lap).
 * A producer claims pos with a CAS on tail, fills the slot, then publishes the
 * turn; one interrupted between claim and publish (by a signal handler that
 * pushes too) only holds the consumer back until it resumes and wakes it.
 */
#include "ring.h"
#include <linux/futex.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define N    JOIN_RING_SLOTS
#define K(p) ((p) & (N - 1))

int join_ring_push(struct join_ring *r, pid_t pid)
{
	uint32_t pos = __atomic_load_n(&r->tail, __ATOMIC_RELAXED);
	for (;;) {
		uint32_t turn = __atomic_load_n(&r->slot[K(pos)].turn, __ATOMIC_ACQUIRE);
		int32_t d = (int32_t)(turn - (pos - K(pos)));
		if (d < 0)
			return 0; /* the slot still holds last lap's pid: full */
		if (d > 0) {
			pos = __atomic_load_n(&r->tail, __ATOMIC_RELAXED); /* lost a race */
			continue;
		}
		if (__atomic_compare_exchange_n(&r->tail, &pos, pos + 1, 1, __ATOMIC_RELAXED,
		                                __ATOMIC_RELAXED))
			break;
	}
	r->slot[K(pos)].pid = pid;
	__atomic_store_n(&r->slot[K(pos)].turn, pos + 1 - K(pos), __ATOMIC_RELEASE);
	__atomic_add_fetch(&r->seq, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&r->sleeping, __ATOMIC_SEQ_CST))
		syscall(SYS_futex, &r->seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	return 1;
}

static int ready(struct join_ring *r)
{
	uint32_t pos = r->head;
	uint32_t turn = __atomic_load_n(&r->slot[K(pos)].turn, __ATOMIC_ACQUIRE);
	return turn == pos + 1 - K(pos);
}

int join_ring_pop(struct join_ring *r, pid_t *pid)
{
	uint32_t pos = r->head;
	if (!ready(r))
		return 0;
	*pid = r->slot[K(pos)].pid;
	__atomic_store_n(&r->slot[K(pos)].turn, pos + N - K(pos), __ATOMIC_RELEASE);
	r->head = pos + 1;
	return 1;
}

/* The sleeping flag is set before seq is read: a push that bumps seq after
 * that read either changes the futex word (no sleep) or sees the flag (wake). */
void join_ring_wait(struct join_ring *r)
{
	__atomic_store_n(&r->sleeping, 1, __ATOMIC_SEQ_CST);
	uint32_t seq = __atomic_load_n(&r->seq, __ATOMIC_SEQ_CST);
	if (!ready(r))
		syscall(SYS_futex, &r->seq, FUTEX_WAIT_PRIVATE, seq, NULL, NULL, 0);
	__atomic_store_n(&r->sleeping, 0, __ATOMIC_SEQ_CST);
}

void join_ring_reset(struct join_ring *r)
{
	memset(r, 0, sizeof *r);
}
