/* SPDX-License-Identifier: MIT */
/* table.c - the child table on uthash, with allocation from the arena. */
#include "table/table.h"
#include "table/arena.h"
#include "base/clock.h"
#include "table/defer.h"
#include "base/hotpage.h"
#include "table/lock.h"
#include <string.h>

#define HASH_NONFATAL_OOM      1
#define uthash_malloc(sz)      join_arena_alloc(sz)
#define uthash_free(p, sz)     join_arena_free(p, sz)
#define uthash_nonfatal_oom(e) (HOT.oom_hit = 1)
/* Keys are pids: murmur3's finaliser spreads them in a few instructions where
 * uthash's default (Jenkins) walks bytes.  Spread matters: uthash doubles its
 * buckets when one chain reaches 10, so an even split of sequential pids would
 * let every chain grow to 10 first; a random-looking one keeps chains near 1. */
#define HASH_FUNCTION(keyptr, keylen, hashv)                                                       \
	do {                                                                                       \
		unsigned h_ = *(const unsigned *)(keyptr);                                         \
		h_ ^= h_ >> 16;                                                                    \
		h_ *= 0x85ebca6bu;                                                                 \
		h_ ^= h_ >> 13;                                                                    \
		h_ *= 0xc2b2ae35u;                                                                 \
		h_ ^= h_ >> 16;                                                                    \
		(hashv) = h_;                                                                      \
	} while (0)
#include <uthash.h>

struct entry {
	pid_t pid;
	uint8_t how;
	uint8_t orphan; /* alive when the kernel began reaping by itself: may expire */
	uint64_t fork_ns, exit_ns;
	UT_hash_handle hh;
};
_Static_assert(sizeof(struct entry) <= JOIN_SLOT, "an entry fits a slot");
_Static_assert(sizeof(UT_hash_table) <= JOIN_SLOT, "uthash's header fits a slot");

#ifdef JOIN_TEST /* the unit tests' build: a hook inside the section (tests/unit) */
void (*join_test_hook)(int where);
#define JOIN_TEST_HOOK(w)                                                                          \
	do {                                                                                       \
		if (join_test_hook)                                                                \
			join_test_hook(w);                                                         \
	} while (0)
#else
#define JOIN_TEST_HOOK(w) ((void)0)
#endif

#define PARKED      64
#define FILTER_BITS 9

/* What a fork+reap cycle writes is on the engine's hot page (hotpage.h): after a
 * fork, every other page written would cost a page fault.  parked is written
 * only when a reap overtakes its fork record. */
struct table_hot {
	struct entry *table;
	int oom_hit, inflight, nparked;
	struct join_counts counts;
	/* Counts of entries per pid hash, a lock-free "surely not": 16 bits wrap
	 * safely (pid_max is 2^22, so a slot never holds 2^16 live pids). */
	uint16_t filter[1 << FILTER_BITS];
};
_Static_assert(sizeof(struct table_hot) <= sizeof join_hot.tab, "fits its part of the hot page");
#define HOT JOIN_HOT_PART(struct table_hot, tab)
static struct join_rec parked[PARKED];

static unsigned slot(pid_t pid)
{
	return ((unsigned)pid * 2654435761u) >> (32 - FILTER_BITS);
}

static void filter_add(pid_t pid, int d)
{
	__atomic_add_fetch(&HOT.filter[slot(pid)], (uint16_t)d, __ATOMIC_RELAXED);
}

int join_table_maybe(pid_t pid)
{
	return __atomic_load_n(&HOT.filter[slot(pid)], __ATOMIC_RELAXED) != 0;
}

int join_table_inflight(void)
{
	return __atomic_load_n(&HOT.inflight, __ATOMIC_ACQUIRE) != 0;
}

uint64_t join_table_begin(void)
{
	__atomic_add_fetch(&HOT.inflight, 1, __ATOMIC_ACQ_REL);
	return join_now_ns();
}

static void fill(struct join_rec *r, const struct entry *e)
{
	r->tracked = 1;
	r->has_fork = 1;
	r->fork_ns = e->fork_ns;
	r->how = e->how;
	if (e->exit_ns) {
		r->exit_ns = e->exit_ns;
		r->has_exit = 1;
		r->exact = 1;
	}
}

static void drop(struct entry *e)
{
	HASH_DEL(HOT.table, e);
	filter_add(e->pid, -1);
	join_arena_free(e, sizeof *e);
	HOT.counts.live--;
}

static int unpark(pid_t pid, struct join_rec *out)
{
	for (int i = 0; i < HOT.nparked; i++) {
		if (parked[i].pid != pid)
			continue;
		*out = parked[i];
		parked[i] = parked[HOT.nparked - 1];
		__atomic_store_n(&HOT.nparked, HOT.nparked - 1, __ATOMIC_RELAXED);
		return 1;
	}
	return 0;
}

static void insert(pid_t pid, uint64_t fork_ns, int how)
{
	struct entry *e = join_arena_alloc(sizeof *e);
	if (!e) {
		HOT.counts.oom++;
		return;
	}
	*e = (struct entry){.pid = pid, .how = (uint8_t)how, .fork_ns = fork_ns};
	HOT.oom_hit = 0;
	HASH_ADD_INT(HOT.table, pid, e);
	if (HOT.oom_hit) { /* uthash could not grow its buckets: the entry was not added */
		join_arena_free(e, sizeof *e);
		HOT.counts.oom++;
		return;
	}
	filter_add(pid, 1);
	HOT.counts.tracked++;
	HOT.counts.live++;
}

/* A fork record, under the lock: 1 with *done filled if its reap came first. */
static int end_locked(pid_t pid, uint64_t fork_ns, int how, struct join_rec *done)
{
	int merged = 0;
	if (pid > 0) {
		merged = unpark(pid, done);
		if (merged) {
			done->tracked = done->has_fork = 1;
			done->fork_ns = fork_ns;
			done->how = (uint8_t)how;
			done->approx = 0;
			HOT.counts.tracked++;
			HOT.counts.reaped++;
		} else {
			insert(pid, fork_ns, how);
		}
	}
	__atomic_sub_fetch(&HOT.inflight, 1, __ATOMIC_ACQ_REL);
	return merged;
}

/* A reap record, under the lock: see join_table_settle. */
static int settle_locked(struct join_rec *r)
{
	struct entry *e;
	HASH_FIND_INT(HOT.table, &r->pid, e);
	if (e) {
		fill(r, e);
		drop(e);
		HOT.counts.reaped++;
		return 1;
	}
	if (__atomic_load_n(&HOT.inflight, __ATOMIC_ACQUIRE) && HOT.nparked < PARKED) {
		parked[HOT.nparked] = *r;
		__atomic_store_n(&HOT.nparked, HOT.nparked + 1, __ATOMIC_RELAXED);
		return 2;
	}
	HOT.counts.untracked++;
	return 0;
}

static void expire_locked(pid_t pid)
{
	struct entry *e, *tmp;
	if (pid > 0) {
		HASH_FIND_INT(HOT.table, &pid, e);
		if (e && e->orphan) {
			drop(e);
			HOT.counts.expired++;
		}
		return;
	}
	HASH_ITER(hh, HOT.table, e, tmp)
	{
		if (!e->orphan)
			continue;
		drop(e);
		HOT.counts.expired++;
	}
}

static void orphan_locked(void)
{
	struct entry *e, *tmp;
	HASH_ITER(hh, HOT.table, e, tmp)
	{
		e->orphan = 1;
	}
}

/* One update deferred by a nested handler; a record it completes is to be written. */
static void apply(struct join_deferred *d)
{
	int done = 0;
	switch (d->op) {
	case JOIN_DEFER_END:
		done = end_locked(d->pid, d->t_ns, d->how, &d->rec);
		break;
	case JOIN_DEFER_SETTLE:
		done = settle_locked(&d->rec) != 2; /* parked: its fork record writes it */
		break;
	case JOIN_DEFER_EXPIRE:
		expire_locked(d->pid);
		break;
	case JOIN_DEFER_ORPHAN:
		orphan_locked();
		break;
	}
	if (done)
		join_defer_done(d);
	else
		join_defer_free(d);
}

/* Leaves the section.  A nested handler may defer an update up to the release
 * itself: after it, look again, and take the lock back to apply a late one. */
static void leave(void)
{
	do {
		for (struct join_deferred *d = join_defer_take(), *next; d; d = next) {
			next = d->next;
			apply(d);
		}
		join_unlock();
	} while (join_defer_waiting() && join_lock());
}

/* A nested handler's update: pushed for the owner, who applies it before it leaves.
 * 0 when the pool is empty (64 updates pending in one thread: not seen in practice). */
static int defer(int op, pid_t pid, int how, uint64_t t_ns, const struct join_rec *r)
{
	struct join_deferred *d = join_defer_new();
	if (!d)
		return 0;
	d->op = op;
	d->pid = pid;
	d->how = how;
	d->t_ns = t_ns;
	if (r)
		d->rec = *r;
	join_defer_push(d);
	return 1;
}

int join_table_end(pid_t pid, uint64_t fork_ns, int how, struct join_rec *done)
{
	if (!join_lock()) {
		if (!defer(JOIN_DEFER_END, pid, how, fork_ns, NULL))
			__atomic_sub_fetch(&HOT.inflight, 1,
			                   __ATOMIC_ACQ_REL); /* the record is lost */
		return 0;
	}
	JOIN_TEST_HOOK(JOIN_HOOK_END);
	int merged = end_locked(pid, fork_ns, how, done);
	leave();
	return merged;
}

int join_table_settle(struct join_rec *r)
{
	if (!join_lock())
		return defer(JOIN_DEFER_SETTLE, r->pid, 0, 0, r) ? 2 : 0;
	JOIN_TEST_HOOK(JOIN_HOOK_SETTLE);
	int ret = settle_locked(r);
	leave();
	return ret;
}

/*
 * Only orphans expire.  Any other entry's child was reaped by a wait of the
 * program's, which settles it: an ECHILD in one thread can come between
 * another thread's reap and its settle, and dropping the entry then would
 * lose that record.
 */
void join_table_expire_all(void)
{
	join_table_expire(-1);
}

void join_table_expire(pid_t pid)
{
	if (!join_lock()) {
		defer(JOIN_DEFER_EXPIRE, pid, 0, 0, NULL);
		return;
	}
	expire_locked(pid);
	leave();
}

void join_table_orphan_all(void)
{
	if (!join_lock()) {
		defer(JOIN_DEFER_ORPHAN, 0, 0, 0, NULL);
		return;
	}
	orphan_locked();
	leave();
}

/* A nested handler finds nothing stale: the owner's own call looks after it. */
int join_table_stale(struct join_rec *out)
{
	int got = 0;
	if (!__atomic_load_n(&HOT.nparked, __ATOMIC_RELAXED) || !join_lock())
		return 0;
	/* No creating call in flight: no fork record can come for it now. */
	if (!__atomic_load_n(&HOT.inflight, __ATOMIC_ACQUIRE) && HOT.nparked) {
		*out = parked[0];
		parked[0] = parked[HOT.nparked - 1];
		__atomic_store_n(&HOT.nparked, HOT.nparked - 1, __ATOMIC_RELAXED);
		HOT.counts.untracked++;
		got = 1;
	}
	leave();
	return got;
}

void join_table_flush(void (*write)(const struct join_rec *))
{
	join_defer_flush(write);
}

/* The readers below are for the exit report and the tests;
 * in a nested handler they see nothing rather than wait. */
int join_table_exited(pid_t pid, uint64_t t)
{
	struct entry *e;
	if (!join_lock())
		return 0;
	HASH_FIND_INT(HOT.table, &pid, e);
	if (e && !e->exit_ns)
		e->exit_ns = t;
	leave();
	return e != NULL;
}

static void info(struct join_child_info *v, const struct entry *e)
{
	*v = (struct join_child_info){e->pid, e->how, e->fork_ns, e->exit_ns};
}

size_t join_table_list(struct join_child_info *v, size_t max)
{
	struct entry *e, *tmp;
	size_t n = 0;
	if (!join_lock())
		return 0;
	HASH_ITER(hh, HOT.table, e, tmp)
	{
		if (n == max)
			break;
		info(&v[n++], e);
	}
	leave();
	return n;
}

int join_table_find(pid_t pid, struct join_child_info *out)
{
	struct entry *e;
	if (!join_lock())
		return 0;
	HASH_FIND_INT(HOT.table, &pid, e);
	if (e && out)
		info(out, e);
	leave();
	return e != NULL;
}

void join_table_reset(void)
{
	join_lock_reset();
	join_defer_reset();
	HOT.inflight = 0;
	/* Usually the table is empty at fork: then touching (and copying) its pages is waste. */
	if (HOT.table || HOT.nparked || HOT.counts.live) {
		join_arena_reset();
		HOT.table = NULL;
		HOT.nparked = 0;
		memset(HOT.filter, 0, sizeof HOT.filter);
	}
	memset(&HOT.counts, 0, sizeof HOT.counts);
}

int join_table_idle(void)
{
	return !__atomic_load_n(&HOT.counts.tracked, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&HOT.counts.live, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&HOT.inflight, __ATOMIC_ACQUIRE);
}

void join_table_counts(struct join_counts *c)
{
	if (!join_lock()) {
		*c = (struct join_counts){0};
		return;
	}
	*c = HOT.counts;
	leave();
}
