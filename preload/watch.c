/*
 * watch.c - watch mode (JOIN_WATCH=1) on the fork path: hand each new child
 * to the watcher (watcher.c), starting it at the first one, so that a program
 * that never forks pays nothing but a pointer test.
 *
 * The hook runs in the forking thread right after the creating call, maybe in
 * a signal handler: it only pushes the pid on a lock-free ring and, when the
 * opener thread sleeps, wakes it with a futex.  No malloc, no lock, no
 * descriptor: the pidfd is opened by the opener, in the watcher's own
 * descriptor table (see watcher.c for why, and for what it holds).
 *
 * The one step that is not async-signal-safe is the start (pthread_create
 * allocates); it runs once, in whichever thread makes the first child.  A child
 * made while another thread is still starting the watcher, or when the ring is
 * full, is not watched: its exit time is its reap time, marked inexact.
 */
#include "config.h"
#include "engine.h"
#include "hot.h"
#include "log.h"
#include "watch.h"
#include "watcher.h"
#include <errno.h>

struct join_watch_hot join_watch_hot __attribute__((aligned(4096)));
_Static_assert(sizeof join_watch_hot == 4096, "one page of its own");

static uint64_t run_word(pid_t pid, int st)
{
	return (uint64_t)(uint32_t)pid << 32 | (uint32_t)st;
}

/* This process's state: OFF if the word is another process's (we are its fork). */
static int state(uint64_t run, pid_t self)
{
	return (pid_t)(run >> 32) == self ? (int)(uint32_t)run : JOIN_WATCH_OFF;
}

static int started(uint64_t seen, pid_t self)
{
	uint64_t *w = &join_watch_hot.run;
	if (!__atomic_compare_exchange_n(w, &seen, run_word(self, JOIN_WATCH_STARTING), 0,
	                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return state(seen, self); /* another thread of ours got there first */
	int st = join_watcher_start() == 0 ? JOIN_WATCH_RUNNING : JOIN_WATCH_FAILED;
	uint64_t starting = run_word(self, JOIN_WATCH_STARTING);
	/* The watcher may have failed meanwhile: that word stays. */
	__atomic_compare_exchange_n(w, &starting, run_word(self, st), 0, __ATOMIC_ACQ_REL,
	                            __ATOMIC_ACQUIRE);
	return state(__atomic_load_n(w, __ATOMIC_ACQUIRE), self);
}

void join_watch_failed(void)
{
	__atomic_store_n(&join_watch_hot.run, run_word(join_self_pid(), JOIN_WATCH_FAILED),
	                 __ATOMIC_RELEASE);
}

static void child(pid_t pid)
{
	int err = errno;
	pid_t self = join_self_pid();
	uint64_t run = __atomic_load_n(&join_watch_hot.run, __ATOMIC_ACQUIRE);
	int st = state(run, self);
	if (st == JOIN_WATCH_OFF)
		st = started(run, self);
	if (st == JOIN_WATCH_RUNNING)
		join_ring_push(&join_watch_hot.ring, pid);
	join_errno_restore(err); /* errno is on the TLS page: no write, no fault */
}

static const struct join_watch_ops ops = {child};

/* From the constructor, after the configuration. */
void join_watch_setup(void)
{
	if (join_active() && join_cfg.watch)
		join_watch = &ops;
}
