/* SPDX-License-Identifier: MIT */
/*
 * lock.h - the table's critical section, without a system call.
 *
 * The lock word holds its owner's thread pointer.  A signal handler that
 * interrupts its own thread inside the section sees its own mark there:
 * join_lock returns 0 and the handler must not spin (its thread cannot run
 * to release the lock until the handler returns); it defers its update
 * (defer.h), which the owner applies before it leaves.  Other threads spin
 * briefly, then yield.  Never held across a system call.
 */
#ifndef JOIN_LOCK_H
#define JOIN_LOCK_H

/* 1: the lock is ours now; 0: this thread already holds it (a nested handler). */
int join_lock(void);
void join_unlock(void);
/* In a forked child: the holder may have been another thread of the parent. */
void join_lock_reset(void);
#endif
