/* SPDX-License-Identifier: MIT */
/*
 * test_nested.c - a signal handler that interrupts its own thread inside the
 * table's section must not spin: its update is deferred and applied by the
 * interrupted owner, and nothing is lost.  Built with -DJOIN_TEST (tests.mk),
 * whose hook inside the section raises the signal: the nesting is forced, not
 * left to chance.  Real children, the engine's own fork and reap paths.
 */
#include "unit.h"
#include "base/config.h"
#include "engine.h"
#include "base/record.h"
#include "table/table.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void (*join_test_hook)(int where);

static char logpath[64];
static volatile int armed, fired;
static volatile pid_t reaped, forked;
static volatile int reaped_status;
static uint64_t t_fork;

static void hook(int where)
{
	if (armed == 1 && where == JOIN_HOOK_END) {
		armed = 0;
		raise(SIGCHLD);
	} else if (armed == 2 && where == JOIN_HOOK_SETTLE) {
		armed = 0;
		raise(SIGUSR1);
	}
}

/* A SIGCHLD handler that reaps, as programs write them. */
static void on_chld(int sig)
{
	int st, err = errno;
	(void)sig;
	fired++;
	pid_t p = join_wait4(-1, &st, WNOHANG, NULL, JOIN_CALL_WAITPID);
	if (p > 0) {
		reaped = p;
		reaped_status = st;
	}
	errno = err;
}

/* A handler whose fork record arrives while its thread reaps that child. */
static void on_usr1(int sig)
{
	(void)sig;
	fired++;
	join_forkrec_end(forked, t_fork, JOIN_HOW_FORK);
}

static int setup(void **state)
{
	(void)state;
	char env0[96];
	snprintf(logpath, sizeof logpath, "/tmp/test_nested.%d.log", (int)getpid());
	unlink(logpath);
	snprintf(env0, sizeof env0, "JOIN_LOG=%s", logpath);
	char *env[] = {env0, "JOIN_REPORT=0", NULL};
	join_init(env, 0);
	join_libc.wait4 = wait4;
	join_libc.waitid = waitid;
	join_libc.sigaction = sigaction;
	join_table_reset();
	join_test_hook = hook;
	armed = fired = 0;
	reaped = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	join_test_hook = NULL;
	signal(SIGCHLD, SIG_DFL);
	signal(SIGUSR1, SIG_DFL);
	unlink(logpath);
	return 0;
}

/* A child that has exited and is still a zombie; its fork record is not yet made. */
static pid_t zombie(int code, uint64_t *t0)
{
	siginfo_t si;
	*t0 = join_forkrec_begin();
	pid_t p = fork();
	if (p == 0)
		_exit(code);
	assert_true(p > 0);
	assert_int_equal(waitid(P_PID, (id_t)p, &si, WEXITED | WNOWAIT), 0);
	return p;
}

/* The log holds exactly one await record, for pid. */
static void one_record(pid_t pid)
{
	char buf[512], want[16];
	int fd = open(logpath, O_RDONLY);
	assert_true(fd >= 0);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	assert_true(n > 0);
	buf[n] = 0;
	snprintf(want, sizeof want, "%d ", (int)pid);
	assert_int_equal(strncmp(buf, want, strlen(want)), 0);
	assert_non_null(strchr(buf, '\n'));
	assert_string_equal(strchr(buf, '\n') + 1, "");
}

static void counts_whole(void)
{
	struct join_counts c;
	join_table_counts(&c);
	assert_int_equal(c.tracked, 1);
	assert_int_equal(c.reaped, 1);
	assert_int_equal(c.untracked, 0);
	assert_int_equal(c.live, 0);
	assert_false(join_table_inflight());
}

/* SIGCHLD inside the fork record's section: the handler reaps the child there. */
static void reap_inside_fork_record(void **state)
{
	(void)state;
	uint64_t t0;
	pid_t p = zombie(5, &t0);
	struct sigaction sa = {.sa_handler = on_chld};
	sigaction(SIGCHLD, &sa, NULL);
	armed = 1;
	join_forkrec_end(p, t0, JOIN_HOW_FORK);
	assert_int_equal(fired, 1);
	assert_int_equal(reaped, p);
	assert_true(WIFEXITED(reaped_status) && WEXITSTATUS(reaped_status) == 5);
	counts_whole();
	one_record(p);
}

/* The other order: the fork record arrives (in a handler) inside the reap's section. */
static void fork_record_inside_reap(void **state)
{
	(void)state;
	int st;
	forked = zombie(6, &t_fork);
	struct sigaction sa = {.sa_handler = on_usr1};
	sigaction(SIGUSR1, &sa, NULL);
	armed = 2;
	assert_int_equal(join_wait4(forked, &st, 0, NULL, JOIN_CALL_WAITPID), forked);
	assert_int_equal(fired, 1);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 6);
	counts_whole();
	one_record(forked);
}

/* Many in a row, each nested: the pool of deferred updates is given back. */
static void many_nested(void **state)
{
	(void)state;
	for (int i = 0; i < 200; i++) {
		uint64_t t0;
		reaped = 0;
		pid_t p = zombie(i & 0x7f, &t0);
		struct sigaction sa = {.sa_handler = on_chld};
		sigaction(SIGCHLD, &sa, NULL);
		armed = 1;
		join_forkrec_end(p, t0, JOIN_HOW_FORK);
		signal(SIGCHLD, SIG_DFL);
		assert_int_equal(reaped, p);
	}
	struct join_counts c;
	join_table_counts(&c);
	assert_int_equal(c.reaped, 200);
	assert_int_equal(c.untracked, 0);
	assert_int_equal(c.live, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(reap_inside_fork_record, setup, teardown),
	    cmocka_unit_test_setup_teardown(fork_record_inside_reap, setup, teardown),
	    cmocka_unit_test_setup_teardown(many_nested, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
