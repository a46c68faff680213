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
#include "watch.h"
#include "watcher.h"
#include <errno.h>

struct join_ring join_watch_ring;
int join_watch_state;

static int started(void)
{
	int off = JOIN_WATCH_OFF;
	if (!__atomic_compare_exchange_n(&join_watch_state, &off, JOIN_WATCH_STARTING, 0,
	                                 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return off; /* another thread got there first: its state */
	int st = join_watcher_start() == 0 ? JOIN_WATCH_RUNNING : JOIN_WATCH_FAILED;
	__atomic_store_n(&join_watch_state, st, __ATOMIC_RELEASE);
	return st;
}

static void child(pid_t pid)
{
	int err = errno;
	int st = __atomic_load_n(&join_watch_state, __ATOMIC_ACQUIRE);
	if (st == JOIN_WATCH_OFF)
		st = started();
	if (st == JOIN_WATCH_RUNNING)
		join_ring_push(&join_watch_ring, pid);
	errno = err;
}

/* In a forked child: only the forking thread was copied, so the watcher's threads
 * and their descriptor table stayed in the parent; nothing of theirs is in our
 * table.  The ring and slots are reset when this process makes its own first child. */
static void forget(void)
{
	__atomic_store_n(&join_watch_state, JOIN_WATCH_OFF, __ATOMIC_RELAXED);
}

static const struct join_watch_ops ops = {child, forget};

/* From the constructor, after the configuration. */
void join_watch_setup(void)
{
	if (join_active() && join_cfg.watch)
		join_watch = &ops;
}
