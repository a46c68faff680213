/* lock.c - a spin lock entered with every signal blocked. */
#include "lock.h"
#include "hot.h"
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The lock word, on the hot page (hot.h): a forked child finds it free. */
#define held JOIN_HOT_PART(int, lock)

static inline void join_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield");
#endif
}

/* The raw system call: glibc's sigprocmask would refuse nothing we need here
 * and costs the same, but the raw call keeps this file free of libc state. */
static void mask(int how, const sigset_t *set, sigset_t *old)
{
	syscall(SYS_rt_sigprocmask, how, set, old, _NSIG / 8);
}

void join_lock(sigset_t *saved)
{
	sigset_t all;
	sigfillset(&all);
	mask(SIG_BLOCK, &all, saved);
	for (int spins = 0; __atomic_exchange_n(&held, 1, __ATOMIC_ACQUIRE); spins++) {
		if (spins > 100)
			sched_yield();
		else
			join_cpu_relax();
	}
}

void join_unlock(const sigset_t *saved)
{
	__atomic_store_n(&held, 0, __ATOMIC_RELEASE);
	mask(SIG_SETMASK, saved, NULL);
}

/* The forked child is single-threaded: a plain store.  An atomic operation is where
 * ThreadSanitizer runs the signal handlers it deferred, here with the lock still
 * held as the fork copied it, so a handler that waits would spin for ever. */
void join_lock_reset(void)
{
	held = 0;
}
