/* SPDX-License-Identifier: MIT */
/* defer.c - the lock-free lists and pool of deferred table updates (defer.h). */
#include "table/defer.h"
#include "base/hotpage.h"
#include <stddef.h>

#define POOL 64

/* On the hot page (hotpage.h), zero at first and in a forked child; read once per
 * section, written only when a handler nests. */
struct defer_hot {
	struct join_deferred *pending, *done;
	uint64_t used; /* bit i: pool[i] is taken */
};
_Static_assert(sizeof(struct defer_hot) <= sizeof join_hot.defer, "fits its part of the hot page");
#define HOT JOIN_HOT_PART(struct defer_hot, defer)

/* Off the hot page: touched only when a handler nests. */
static struct join_deferred pool[POOL];

struct join_deferred *join_defer_new(void)
{
	uint64_t m = __atomic_load_n(&HOT.used, __ATOMIC_RELAXED);
	while (~m) {
		int i = __builtin_ctzll(~m);
		if (__atomic_compare_exchange_n(&HOT.used, &m, m | 1ull << i, 0, __ATOMIC_ACQUIRE,
		                                __ATOMIC_RELAXED))
			return &pool[i];
	}
	return NULL;
}

void join_defer_free(struct join_deferred *d)
{
	__atomic_and_fetch(&HOT.used, ~(1ull << (d - pool)), __ATOMIC_RELEASE);
}

static void push(struct join_deferred **head, struct join_deferred *d)
{
	d->next = __atomic_load_n(head, __ATOMIC_RELAXED);
	while (
	    !__atomic_compare_exchange_n(head, &d->next, d, 1, __ATOMIC_RELEASE, __ATOMIC_RELAXED))
		;
}

/* The whole list at once (no ABA), reversed into the order of the pushes. */
static struct join_deferred *take(struct join_deferred **head)
{
	struct join_deferred *d = __atomic_exchange_n(head, NULL, __ATOMIC_ACQUIRE), *fifo = NULL;
	while (d) {
		struct join_deferred *next = d->next;
		d->next = fifo;
		fifo = d;
		d = next;
	}
	return fifo;
}

void join_defer_push(struct join_deferred *d)
{
	push(&HOT.pending, d);
}

struct join_deferred *join_defer_take(void)
{
	if (!__atomic_load_n(&HOT.pending, __ATOMIC_RELAXED))
		return NULL;
	return take(&HOT.pending);
}

int join_defer_waiting(void)
{
	return __atomic_load_n(&HOT.pending, __ATOMIC_ACQUIRE) != NULL;
}

void join_defer_done(struct join_deferred *d)
{
	push(&HOT.done, d);
}

void join_defer_flush(void (*write)(const struct join_rec *))
{
	if (!__atomic_load_n(&HOT.done, __ATOMIC_RELAXED))
		return;
	for (struct join_deferred *d = take(&HOT.done), *next; d; d = next) {
		next = d->next;
		write(&d->rec);
		join_defer_free(d);
	}
}

void join_defer_reset(void)
{
	HOT.pending = HOT.done = NULL;
	HOT.used = 0;
}
