/* init.c - the constructor (kept trivial: every exec pays it) and the exit report. */
#include "engine.h"
#include "intercept.h"
#include "bare.h"
#include "config.h"
#include "emit.h"
#include <stdlib.h>
#include <sys/auxv.h>
#include <string.h>
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

/* A bare JOIN_WATCH=1 root (no JOIN_RING yet) starts its tree's collector, before
 * main; its descendants find JOIN_RING and use that one. */
static void start_collector(void)
{
	char path[JOIN_RING_PATH_MAX];
	if (!join_active() || !join_cfg.watch || join_cfg.ring_path[0] ||
	    join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	if (join_bare_start(path) < 0 || setenv("JOIN_RING", path, 1) < 0)
		return; /* no collector: this tree writes its records itself */
	memcpy(join_cfg.ring_path, path, sizeof path);
}

__attribute__((constructor)) static void constructor(void)
{
#ifdef JOIN_CTOR_CLOCK
	struct timespec a;
	clock_gettime(CLOCK_MONOTONIC, &a);
#endif
	join_ready_slow();
	start_collector();
#ifdef JOIN_CTOR_CLOCK
	ctor_clock(&a);
#endif
}

__attribute__((destructor)) static void destructor(void)
{
	if (!join_inited || !join_active())
		return;
	join_exit_report();
	join_emit_exit_self(-1);
	join_bare_exit();
}
