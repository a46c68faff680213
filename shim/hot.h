/*
 * hot.h - the engine's written state, gathered on one page.  After every fork
 * the parent takes a page fault (a 4 KB copy while the child lives) for each
 * page it writes again, so the words a fork+reap cycle writes are kept
 * together: arena.c's page comes first in this section (it is aligned to a
 * page and leaves JOIN_HOT_ROOM bytes at its end), other files' words follow.
 */
#ifndef JOIN_HOT_H
#define JOIN_HOT_H
#include <errno.h>

#define JOIN_HOT      __attribute__((section("join_hot")))
#define JOIN_HOT_ROOM 1280 /* the lock word; table.c's scalars and its 1 KB filter */

/* errno lives on the thread's TLS page: put it back only if it changed, so that
 * a call that succeeded writes nothing there. */
static inline void join_errno_restore(int err)
{
	if (errno != err)
		errno = err;
}
#endif
