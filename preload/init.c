/* init.c - the constructor (kept trivial: every exec pays it) and the exit report. */
#include "engine.h"
#include "intercept.h"
#include "watch.h"
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;
int join_inited;

static void start(void)
{
	join_resolve_eager();
	join_libc.wait4 = REAL(wait4);
	join_libc.waitid = REAL(waitid);
	join_libc.posix_spawn = REAL(posix_spawn);
	join_libc.sigaction = REAL(sigaction);
	join_init(environ, getauxval(AT_SECURE) != 0);
	void join_watch_setup(void);
	join_watch_setup();
	__atomic_store_n(&join_inited, 1, __ATOMIC_RELEASE);
}

int join_ready_slow(void)
{
	static int once;
	/* A call before libc has set environ (a sanitizer's preinit installing its signal
	 * handlers): the JOIN_* variables cannot be read yet, so forward it and start later. */
	if (!__atomic_load_n(&environ, __ATOMIC_RELAXED))
		return 0;
	if (!__atomic_exchange_n(&once, 1, __ATOMIC_ACQ_REL))
		start();
	return join_inited && join_active();
}

#ifdef JOIN_CTOR_CLOCK /* the benchmark's build only (bench/bench.mk) */
#include <time.h>
#include "num.h"
static void ctor_clock(const struct timespec *a)
{
	struct timespec b;
	char m[JOIN_NUM_MAX];
	clock_gettime(CLOCK_MONOTONIC, &b);
	size_t n =
	    join_utoa(m, (uint64_t)((b.tv_sec - a->tv_sec) * 1000000000L + b.tv_nsec - a->tv_nsec));
	m[n] = '\n'; /* over the NUL */
	write(2, m, n + 1);
}
#endif

__attribute__((constructor)) static void constructor(void)
{
#ifdef JOIN_CTOR_CLOCK
	struct timespec a;
	clock_gettime(CLOCK_MONOTONIC, &a);
#endif
	join_ready_slow();
#ifdef JOIN_CTOR_CLOCK
	ctor_clock(&a);
#endif
}

__attribute__((destructor)) static void destructor(void)
{
	if (join_inited)
		join_exit_report();
}
