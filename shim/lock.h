/*
 * lock.h - the table's critical section.  Signals are blocked first, so a
 * SIGCHLD handler that reaps cannot interrupt its own thread inside the
 * section and spin forever; other threads spin briefly, then yield.
 * Never held across a real system call that may block.
 */
#ifndef JOIN_LOCK_H
#define JOIN_LOCK_H
#include <signal.h>

void join_lock(sigset_t *saved);
void join_unlock(const sigset_t *saved);
/* In a forked child: the holder may have been another thread of the parent. */
void join_lock_reset(void);
#endif
