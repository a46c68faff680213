/* SPDX-License-Identifier: MIT */
/*
 * system.c - system(3) as glibc 2.36 does it (sysdeps/posix/system.c), so
 * that its child is seen: glibc's own system() spawns and reaps through
 * internal calls no interposer reaches.  Same steps in the same order:
 * SIGINT and SIGQUIT ignored while any thread is inside (a shared count),
 * SIGCHLD blocked, "/bin/sh -c LINE" spawned with those signals reset in
 * the child and the caller's mask, waitpid until not EINTR, restore.
 * From glibc 2.38 the line follows a "--", as the running glibc does it.
 */
#include "engine.h"
#include "base/record.h"
#include "trace/propagate.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#ifdef __GLIBC__
#include <gnu/libc-version.h>
#endif

extern char **environ;

/* Does the running libc put "--" before the line (glibc >= 2.38)?  Asked at each
 * call: the answer is a constant string, and no state is written. */
int join_system_dashdash(const char *version)
{
	unsigned major = 0, minor = 0;
	const char *s = version;
	for (; *s >= '0' && *s <= '9'; s++)
		major = major * 10 + (unsigned)(*s - '0');
	if (*s++ != '.')
		return 0;
	for (; *s >= '0' && *s <= '9'; s++)
		minor = minor * 10 + (unsigned)(*s - '0');
	return major > 2 || (major == 2 && minor >= 38);
}

static const char *libc_version(void)
{
#ifdef __GLIBC__
	return gnu_get_libc_version();
#else
	return ""; /* musl: no "--" */
#endif
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int refs;
static struct sigaction intr, quit;

struct cancel {
	pid_t pid;
};

/* A cancelled caller: kill and reap the child, restore as glibc's cancel_handler does. */
static void on_cancel(void *arg)
{
	struct cancel *c = arg;
	int st;
	kill(c->pid, SIGKILL);
	join_wait4(c->pid, &st, 0, NULL, JOIN_CALL_SYSTEM);
	pthread_mutex_lock(&lock);
	if (--refs == 0) {
		join_libc.sigaction(SIGQUIT, &quit, NULL);
		join_libc.sigaction(SIGINT, &intr, NULL);
	}
	pthread_mutex_unlock(&lock);
}

static int run(const char *line)
{
	struct sigaction sa = {.sa_handler = SIG_IGN};
	sigset_t omask, reset;
	posix_spawnattr_t attr;
	pid_t pid;
	int status = -1, ret;

	sigemptyset(&sa.sa_mask);
	pthread_mutex_lock(&lock);
	if (refs++ == 0) {
		join_libc.sigaction(SIGINT, &sa, &intr);
		join_libc.sigaction(SIGQUIT, &sa, &quit);
	}
	pthread_mutex_unlock(&lock);

	sigaddset(&sa.sa_mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &sa.sa_mask, &omask);
	sigemptyset(&reset);
	if (intr.sa_handler != SIG_IGN)
		sigaddset(&reset, SIGINT);
	if (quit.sa_handler != SIG_IGN)
		sigaddset(&reset, SIGQUIT);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &omask);
	posix_spawnattr_setsigdefault(&attr, &reset);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	char *plain[] = {"sh", "-c", (char *)line, NULL};
	char *dashed[] = {"sh", "-c", "--", (char *)line, NULL};
	char **args = join_system_dashdash(libc_version()) ? dashed : plain;
	uint64_t t0 = join_forkrec_begin();
	ret =
	    join_prop_spawn(join_libc.posix_spawn, &pid, "/bin/sh", NULL, &attr, args, environ, t0);
	join_forkrec_end(ret == 0 ? pid : -1, t0, JOIN_HOW_SYSTEM);
	posix_spawnattr_destroy(&attr);

	if (ret == 0) {
		struct cancel c = {pid};
		pthread_cleanup_push(on_cancel, &c);
		pid_t got;
		do
			got = join_wait4(pid, &status, 0, NULL, JOIN_CALL_SYSTEM);
		while (got < 0 && errno == EINTR);
		if (got != pid)
			status = -1;
		pthread_cleanup_pop(0);
	} else {
		status = 127 << 8; /* POSIX: as if the shell had run _exit(127) */
	}

	pthread_mutex_lock(&lock);
	if (--refs == 0) {
		join_libc.sigaction(SIGINT, &intr, NULL);
		join_libc.sigaction(SIGQUIT, &quit, NULL);
	}
	pthread_mutex_unlock(&lock);
	sigprocmask(SIG_SETMASK, &omask, NULL);
	if (ret != 0)
		errno = ret;
	return status;
}

int join_system(const char *line)
{
	if (line == NULL) /* is there a shell at all (after a chroot, say)? */
		return run("exit 0") == 0;
	return run(line);
}
