/* SPDX-License-Identifier: MIT */
/* ctor.c - the constructor, which does nothing (every exec pays it), the engine's
 * start at the first interposed call, and the exit report. */
#include "base/hotpage.h"
#include "base/config.h"
#include "engine.h"
#include "intercept.h"
#include "collector/bare.h"
#include "base/config.h"
#include "emit.h"
#include "exec.h"
#include "log/warned.h"
#include "log/log.h"
#include "trace/propagate.h"
#include <stdlib.h>
#include <fcntl.h>
#include <sys/auxv.h>
#include <string.h>
#include <unistd.h>

extern char **environ;
int join_inited JOIN_AT_LOAD;

/* Configuration only: no lookup (this may run in a signal handler: the first
 * interposed call may be a wait there), no system call unless a warning is due
 * or SIGCHLD's disposition must be read. */
/* AT_SECURE (setuid, file capabilities): read no variable, open no path. */
static int is_secure(void)
{
	return getauxval(AT_SECURE) != 0;
}

/* What the constructor learns in one pass over the environment: every exec pays
 * for this pass. */
/* A process of a watched tree (JOIN_WATCH and JOIN_RING at exec): written only then,
 * as each page the constructor writes is one more page fault at every exec. */
static int watched JOIN_AT_LOAD;

static void start(void)
{
	join_init(environ, is_secure());
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

static void start_collector(void);

/* "NAME=" at the start of s? */
static int is_var(const char *s, const char *name)
{
	while (*name)
		if (*s++ != *name++)
			return 0;
	return 1;
}

/* s is word, whole?  Not strcmp: each libc function the constructor calls is one
 * more binding for the loader to make at every exec. */
static int is_word(const char *s, const char *word)
{
	while (*word)
		if (*s++ != *word++)
			return 0;
	return !*s;
}

/* JOIN_ARGV set to something else than off: the exec event is asked for (a bad
 * value starts the engine too, which warns). */
static int argv_asked(const char *v)
{
	return !(v[0] == '0' && !v[1]) && !(v[0] == 'o' && v[1] == 'f' && v[2] == 'f' && !v[3]);
}

/* A bad JOIN_* value: the engine starts now and warns, and JOIN_WARNED tells the tree,
 * which inherits it, that it was warned (warned.c): once for the tree, not a line
 * from each of its processes.  Before main, single-threaded, as JOIN_RING is set. */
static void tell_tree(void)
{
	join_ready_slow();
	const char *names = join_warned_update();
	if (names)
		setenv("JOIN_WARNED", names, 1);
}

/* The descriptor JOIN_LOG names: 2 for stderr (the default), N for fd:N, -1 for a
 * path or a bad value (then stderr is the fallback, noted anyway). */
static int log_fd_of(const char *v)
{
	long n = 0;
	if (!v || is_word(v, "stderr"))
		return 2;
	if (!is_var(v, "fd:") || !v[3])
		return -1;
	for (v += 3; *v; v++) {
		if (*v < '0' || *v > '9' || n > (1L << 30))
			return -1;
		n = n * 10 + (*v - '0');
	}
	return (int)n;
}

/* A relative JOIN_LOG names a file in the directory of the load, and the program may
 * chdir before its first child: only then is the directory read here.  A root of a
 * watched tree without a collector yet (JOIN_WATCH, no JOIN_RING) starts the engine
 * now, before main, single-threaded, and the collector (docs/DESIGN.md). */
static void join_ctor_hook(int argc, char **argv)
{
	static char cwd[PATH_MAX];
	const char *log = NULL, *traceparent = NULL;
	int watch = 0, ring = 0, cmdline = 0, bad = 0, propagate = 0;
	for (char **e = environ; e && *e; e++) {
		const char *v = *e;
		if (v[0] == 'T' && is_var(v, "TRACEPARENT="))
			traceparent = v + 12;
		if (v[0] != 'J' || !is_var(v, "JOIN_"))
			continue;
		bad |= join_config_bad(v + 5);
		if (is_var(v + 5, "LOG="))
			log = v + 9;
		else if (is_var(v + 5, "WATCH="))
			watch = 1;
		else if (is_var(v + 5, "RING="))
			ring = 1;
		else if (is_var(v + 5, "ARGV="))
			cmdline = argv_asked(v + 10);
		else if (is_var(v + 5, "PROPAGATE=1"))
			propagate = 1;
	}
	/* AT_SECURE is asked only where it decides something: getauxval is one more
	 * binding for the loader to make at every exec. */
	if (propagate && !is_secure())
		join_prop_load(traceparent); /* joinrun --propagate */
	int off = log && is_word(log, "off"), fd = log_fd_of(log);
	if (!off && fd < 0 && log[0] && log[0] != '/' && !is_secure() && /* a relative path */
	    getcwd(cwd, sizeof cwd))
		join_load_cwd = cwd;
	/* What stderr (and fd:N) is now: a file the program later puts on the number is
	 * not the log (shim/log/logfd.c).  One fstat each, the only system call at exec;
	 * in a secure process too, where it changes nothing (the engine only forwards). */
	if (!off)
		join_logfd_remember(fd);
	if (watch && ring)
		watched = 1;
	else if (watch && join_ready_slow())
		start_collector();
	if (cmdline && join_ready_slow())
		join_emit_exec(argc, argv); /* after the collector, which may take it */
	if (bad && !is_secure())
		tell_tree();
}

#ifdef JOIN_CTOR_CLOCK /* the benchmark's build only (bench/bench.mk) */
#include <time.h>
#include "base/num.h"
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
	if (!join_active() || !join_cfg.watch || join_cfg.ring_path[0] || join_cfg.ring_none ||
	    join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	int ok = join_bare_start(path) == 0; /* else path is "none" */
	if (setenv("JOIN_RING", path, 1) < 0 || !ok)
		return; /* no collector: this tree writes its records itself */
	memcpy(join_cfg.ring_path, path, sizeof path);
}

/* glibc passes main's arguments to a constructor; musl passes none. */
#ifdef __GLIBC__
#define CTOR_PARAMS int argc, char **argv, char **envp __attribute__((unused))
#define CTOR_ARGS   argc, argv
#else
#define CTOR_PARAMS void
#define CTOR_ARGS   0, NULL
#endif

__attribute__((constructor)) static void constructor(CTOR_PARAMS)
{
#ifdef JOIN_CTOR_CLOCK
	struct timespec a;
	clock_gettime(CLOCK_MONOTONIC, &a);
#endif
	join_ctor_hook(CTOR_ARGS);
#ifdef JOIN_CTOR_CLOCK
	ctor_clock(&a);
#endif
}

/* In a watched tree (JOIN_WATCH and JOIN_RING) a process tells its collector the
 * instant it exits even if it made no child: the engine starts then, if not before. */
JOIN_CHILD_PATH int join_ready_at_exit(void)
{
	if (__atomic_load_n(&join_inited, __ATOMIC_ACQUIRE))
		return join_active();
	return watched && join_ready_slow();
}

__attribute__((destructor)) static void destructor(void)
{
	if (!join_ready_at_exit())
		return;
	join_exit_report();
	join_emit_exit_self(-1);
	join_bare_exit();
}
