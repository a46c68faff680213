/*
 * watch.h - the engine's side of watch mode (JOIN_WATCH=1).  The watcher
 * thread itself lives in the preload layer; it registers these hooks.
 */
#ifndef JOIN_WATCH_H
#define JOIN_WATCH_H
#include <sys/types.h>

struct join_watch_ops {
	void (*child)(pid_t pid); /* a new tracked child: start watching it */
};
/* A forked child has nothing to forget: the watcher's state word names the parent (or
 * was wiped at the fork), so the child's first child starts a watcher of its own. */
/* Defined by the engine (born.c); the preload layer points it at its watcher. */
extern const struct join_watch_ops *join_watch;

static inline void join_watch_child(pid_t pid)
{
	if (join_watch)
		join_watch->child(pid);
}
#endif
