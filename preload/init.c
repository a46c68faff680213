/* init.c - the constructor, which does nothing (every exec pays it), the engine's
 * start at the first interposed call, and the exit report. */
#include "config.h"
#include "engine.h"
#include "intercept.h"
#include "watch.h"
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;
int join_inited;

/* Configuration only: no lookup (this may run in a signal handler: the first
 * interposed call may be a wait there), no system call unless a warning is due
 * or SIGCHLD's disposition must be read. */
static void start(void)
{
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
	return __atomic_load_n(&join_inited, __ATOMIC_ACQUIRE) && join_active();
}

/* Where a later change starts the tree's collector process (JOIN_WATCH=1 without
 * JOIN_RING, SPEC 8): before main, single-threaded.  Nothing yet. */
static void join_ctor_hook(void)
{
}

/* A relative JOIN_LOG names a file in the directory of the load, and the program may
 * chdir before its first child: only then is the directory read here. */
static void keep_cwd(void)
{
	static char cwd[PATH_MAX];
	for (char **e = environ; e && *e; e++) {
		const char *s = *e;
		if (s[0] != 'J' || s[1] != 'O' || s[2] != 'I' || s[3] != 'N' || s[4] != '_' ||
		    s[5] != 'L' || s[6] != 'O' || s[7] != 'G' || s[8] != '=')
			continue;
		if (s[9] && s[9] != '/' && !getauxval(AT_SECURE) && getcwd(cwd, sizeof cwd))
			join_load_cwd = cwd;
	}
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
	keep_cwd();
	join_ctor_hook();
#ifdef JOIN_CTOR_CLOCK
	ctor_clock(&a);
#endif
}

__attribute__((destructor)) static void destructor(void)
{
	if (join_inited)
		join_exit_report();
}
