/* SPDX-License-Identifier: MIT */
/*
 * bare.c - a collector for a tree started without joinrun (a bare
 * LD_PRELOAD=libjoin.so JOIN_WATCH=1 prog): the root's constructor starts
 * it, before main, while the process is single-threaded and no wait of the
 * program's can race ours.
 *
 * The root makes a short-lived intermediate with no exit signal (so the
 * program gets no SIGCHLD) and reaps it at once; the intermediate creates
 * the ring, opens a pidfd of the root, makes the collector and waits until
 * it owns the ring.  The collector is then a child of nobody in the tree:
 * no wait of the program's can collect it, and the program has no child it
 * did not make.  It leaves the program's session and descriptors (a parent
 * reading the program's output to EOF does not wait for us), keeping only
 * the log's descriptor when the log is stderr or fd:N.
 */
#include "base/hotpage.h"
#include "log/diag.h"
#include "collector/bare.h"
#include "collector/collect.h"
#include "base/config.h"
#include "text/strerror.h"
#include "base/line.h"
#include "collector/nsmap.h"
#include "ring/producer.h"
#include "ring/ring.h"
#include "ring/ringfile.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long raw_fork(int exit_signal)
{
	return syscall(SYS_clone, (unsigned long)exit_signal, NULL, NULL, NULL, NULL);
}

static void close_range_(unsigned lo, unsigned hi)
{
	if (lo > hi)
		return;
	if (syscall(SYS_close_range, lo, hi, 0) < 0)
		for (unsigned fd = lo; fd <= hi && fd < 4096; fd++)
			close((int)fd);
}

/* Every descriptor but a and b (either may be -1); 0-2 then point at /dev/null
 * unless kept, so that nothing of ours takes those numbers. */
static void close_all_but(int a, int b)
{
	if (a > b) {
		int t = a;
		a = b, b = t;
	}
	unsigned lo = 0;
	int keep[2] = {a, b};
	for (int i = 0; i < 2; i++) {
		if (keep[i] < 0 || (i && keep[1] == keep[0]))
			continue;
		close_range_(lo, (unsigned)keep[i] - 1);
		lo = (unsigned)keep[i] + 1;
	}
	close_range_(lo, ~0U);
	for (int fd = 0; fd < 3; fd++)
		if (fd != a && fd != b && fcntl(fd, F_GETFD) < 0) {
			int n = open("/dev/null", O_RDWR);
			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
}

static int log_fd(void)
{
	return join_cfg.log_kind == JOIN_LOG_FD ? join_cfg.log_fd : -1;
}

static __attribute__((noreturn)) void collector(struct join_ring *r, const char *path, pid_t root,
                                                int rootfd)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL); /* signalfd and pidfds tell us what we need */
	setsid();
	prctl(PR_SET_NAME, "libjoin");
	prctl(PR_SET_PDEATHSIG, 0);
	if (chdir("/") < 0) { /* not holding the program's directory busy */
	}
	close_all_but(rootfd, log_fd());
	r->h.collector = (int32_t)syscall(SYS_getpid);
	join_nsmap_listen(path); /* before the root goes on (owned): no hello unheard */
	join_collect_own(r);
	join_collect(r, root, rootfd, NULL);
	join_ring_remove(path);
	syscall(SYS_exit_group, 0);
	__builtin_unreachable();
}

/* Until the collector owns the ring (or is gone): a second at most. */
static int owned(struct join_ring *r, pid_t c)
{
	for (int i = 0; i < 1000; i++) {
		if (__atomic_load_n(&r->h.owner, __ATOMIC_ACQUIRE))
			return 1;
		if (kill(c, 0) < 0)
			return 0;
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	return 0;
}

/* The intermediate's exit status is why it failed (an errno value), 0 when the
 * collector owns the ring. */
static __attribute__((noreturn)) void quit(const char *path, int err)
{
	if (err)
		join_ring_remove(path);
	syscall(SYS_exit_group, err);
	__builtin_unreachable();
}

static __attribute__((noreturn)) void intermediate(const char *path, pid_t root)
{
	errno = EIO;
	struct join_ring *r = join_ring_create(path, 0, 1);
	if (!r)
		quit(path, errno);
	int rootfd = (int)syscall(SYS_pidfd_open, root, 0);
	if (rootfd < 0) /* a sandbox that denies pidfd_open: no way to see the root end */
		quit(path, errno);
	long c = raw_fork(SIGCHLD);
	if (c == 0)
		collector(r, path, root, rootfd);
	if (c < 0)
		quit(path, errno);
	quit(path, owned(r, (pid_t)c) ? 0 : ESRCH);
}

/* The root's pid ends the ring's name (".<pid>"): a program the root execs knows,
 * with no mapping, that it is the root still. */
static void name_root(char *path, pid_t root)
{
	size_t n = strlen(path);
	struct join_line l = {path + n, JOIN_RING_PATH_MAX - n, 0};
	join_line_str(&l, ".");
	join_line_u64(&l, (unsigned)root);
	join_line_nul(&l);
}

/* By hand: every exit of a watched tree comes here, a forked child's too, and a libc
 * call it never made before would be bound lazily in the child, page faults and all. */
static pid_t root_of(const char *path)
{
	const char *dot = NULL;
	long v = 0;
	for (const char *s = path; *s; s++)
		if (*s == '.')
			dot = s;
		else if (*s == '/')
			dot = NULL;
	if (!dot)
		return 0;
	for (const char *s = dot + 1; *s; s++) {
		if (*s < '0' || *s > '9' || v > (1L << 30))
			return 0;
		v = v * 10 + (*s - '0');
	}
	return (pid_t)v;
}

int join_bare_start(char path[JOIN_RING_PATH_MAX])
{
	int err = errno, st = 0, why;
	if (join_ring_name(path) < 0) {
		why = errno;
		strcpy(path, "none");
	} else {
		pid_t root = (pid_t)syscall(SYS_getpid);
		name_root(path, root);
		long inter = raw_fork(0);
		if (inter == 0)
			intermediate(path, root);
		if (inter > 0)
			while (syscall(SYS_wait4, (pid_t)inter, &st, __WCLONE, NULL) < 0 &&
			       errno == EINTR)
				;
		why = inter < 0 ? errno : !WIFEXITED(st) ? EIO : WEXITSTATUS(st);
	}
	if (why) { /* it says so once, and the tree writes its records itself */
		char tmp[32];
		struct join_config_warning w = {.var = "JOIN_WATCH", .value = "1"};
		struct join_line l = JOIN_LINE(w.why);
		join_line_cat(&l, "no collector for this tree (", join_strerror(why, tmp),
		              "); exit times are taken at the reap, zombies are not watched", NULL);
		join_line_nul(&l);
		join_diag_config(&w, 1);
		if (strcmp(path, "none"))
			join_ring_remove(path); /* a segment made here and never attached */
		strcpy(path, "none");
	}
	errno = err;
	return why ? -1 : 0;
}

/* The root is exiting: its tree's last records are in the log before it is gone, as
 * they would be had it written them itself (a second at most). */
JOIN_CHILD_PATH void join_bare_exit(void)
{
	/* Most exits are not a watched root's: nothing to call, not even through our PLT
	 * (in a forked child each first call there is a lazy binding, page faults and
	 * all). */
	if (!join_cfg.watch || !join_cfg.ring_path[0])
		return;
	pid_t root = root_of(join_cfg.ring_path);
	if (!root || root != (pid_t)syscall(SYS_getpid))
		return;
	int err = errno;
	struct join_ring *r = join_producer_ring();
	if (!r) {
		errno = err;
		return;
	}
	uint64_t end = join_ring_tail(r);
	for (int i = 0; i < 1000 && join_ring_alive(r); i++) {
		if (__atomic_load_n(&r->h.head, __ATOMIC_ACQUIRE) >= end)
			break;
		if (i == 0)
			kill(r->h.collector, SIGURG);
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	errno = err;
}
