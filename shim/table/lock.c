/* SPDX-License-Identifier: MIT */
/* lock.c - a spin lock whose word names its owner: no system call to enter or leave. */
#include "table/lock.h"
#include "base/hotpage.h"
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

/* The lock word, on the hot page (hotpage.h): a forked child finds it free. */
struct lock_hot {
	uintptr_t owner;
};
#define HOT JOIN_HOT_PART(struct lock_hot, lock)

static inline void join_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* The thread pointer: unique among live threads, read without a call or a write
 * (a thread-local flag would write the TLS page, one more fault after a fork). */
static inline uintptr_t self(void)
{
#if defined(__x86_64__) || defined(__aarch64__)
	return (uintptr_t)__builtin_thread_pointer();
#else
	return (uintptr_t)pthread_self();
#endif
}

int join_lock(void)
{
	uintptr_t me = self(), free_ = 0;
	if (__atomic_load_n(&HOT.owner, __ATOMIC_RELAXED) == me)
		return 0; /* we interrupted our own thread inside the section */
	for (int spins = 0; !__atomic_compare_exchange_n(&HOT.owner, &free_, me, 0,
	                                                 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
	     spins++, free_ = 0) {
		if (spins > 100)
			sched_yield(); /* contended only: the holder may be descheduled */
		else
			join_cpu_relax();
	}
	return 1;
}

void join_unlock(void)
{
	__atomic_store_n(&HOT.owner, 0, __ATOMIC_RELEASE);
}

/* The forked child is single-threaded: a plain store.  An atomic operation is where
 * ThreadSanitizer runs the signal handlers it deferred, here with the lock still
 * held as the fork copied it. */
void join_lock_reset(void)
{
	HOT.owner = 0;
}
