/* SPDX-License-Identifier: MIT */
/* test_reap.c - the engine's wait path with real children, without preloading. */
#include "unit.h"
#include "base/config.h"
#include "engine.h"
#include "join.h"
#include "base/record.h"
#include "table/table.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int setup(void **state)
{
	(void)state;
	char *env[] = {"JOIN_LOG=off", NULL};
	join_init(env, 0);
	join_libc.wait4 = wait4;
	join_libc.waitid = waitid;
	join_libc.posix_spawn = posix_spawn;
	join_libc.sigaction = sigaction;
	join_table_reset();
	return 0;
}

/* fork as the interposer does it */
static pid_t tracked_child(int code)
{
	uint64_t t0 = join_forkrec_begin();
	pid_t p = fork();
	if (p == 0)
		_exit(code);
	join_forkrec_end(p, t0, JOIN_HOW_FORK);
	return p;
}

static void wait4_like_native(void **state)
{
	(void)state;
	struct join_counts c;
	struct rusage ru;
	int st = -1;
	pid_t p = tracked_child(9);
	errno = 1234;
	assert_int_equal(join_wait4(p, &st, 0, &ru, JOIN_CALL_WAIT4), p);
	assert_int_equal(errno, 1234); /* untouched on success */
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 9);
	join_table_counts(&c);
	assert_int_equal(c.reaped, 1);
	assert_int_equal(c.live, 0);
	assert_int_equal(join_wait4(-1, &st, 0, NULL, JOIN_CALL_WAIT), -1);
	assert_int_equal(errno, ECHILD);
}

static void nohang_running(void **state)
{
	(void)state;
	int fd[2], st;
	assert_int_equal(pipe(fd), 0);
	pid_t p = fork();
	if (p == 0) {
		char ch;
		close(fd[1]);
		_exit(read(fd[0], &ch, 1) == 0 ? 0 : 1);
	}
	close(fd[0]);
	st = 77;
	assert_int_equal(join_wait4(p, &st, WNOHANG, NULL, JOIN_CALL_WAITPID), 0);
	assert_int_equal(st, 77); /* not written, as natively */
	close(fd[1]);
	assert_int_equal(join_wait4(p, &st, 0, NULL, JOIN_CALL_WAITPID), p);
	assert_int_equal(st, 0);
}

/* A reap that comes before the fork record (a SIGCHLD handler, another thread). */
static void reap_then_record(void **state)
{
	(void)state;
	struct join_counts c;
	int st;
	uint64_t t0 = join_forkrec_begin();
	pid_t p = fork();
	if (p == 0)
		_exit(2);
	assert_int_equal(join_wait4(p, &st, 0, NULL, JOIN_CALL_WAITPID), p);
	join_table_counts(&c);
	assert_int_equal(c.reaped, 0); /* parked */
	join_forkrec_end(p, t0, JOIN_HOW_FORK);
	join_table_counts(&c);
	assert_int_equal(c.reaped, 1); /* merged */
	assert_int_equal(c.live, 0);
}

static void waitid_exit(void **state)
{
	(void)state;
	siginfo_t si;
	pid_t p = tracked_child(200);
	memset(&si, 0, sizeof si);
	assert_int_equal(join_waitid(P_PID, (id_t)p, &si, WEXITED), 0);
	assert_int_equal(si.si_pid, p);
	assert_int_equal(si.si_code, CLD_EXITED);
	assert_int_equal(si.si_status, 200);
	assert_false(join_table_find(p, NULL));
	assert_int_equal(join_waitid(P_ALL, 0, &si, WEXITED | WNOHANG), -1);
	assert_int_equal(errno, ECHILD);
}

static void plan9_await(void **state)
{
	(void)state;
	char buf[128];
	pid_t p = tracked_child(3);
	int n = join_await(buf, sizeof buf);
	assert_true(n > 0);
	buf[n] = 0;
	char want[64];
	snprintf(want, sizeof want, "%d ", p);
	assert_memory_equal(buf, want, strlen(want));
	assert_non_null(strstr(buf, ": 3'"));
	assert_int_equal(join_awaitnohang(buf, sizeof buf), -1);
	assert_int_equal(errno, ECHILD);
	assert_string_equal(join_errstr(), "no living children");
	assert_int_equal(join_await(buf, 0), -1);
	assert_int_equal(errno, EINVAL);
}

static void plan9_wait(void **state)
{
	(void)state;
	pid_t p = tracked_child(0);
	JoinWaitmsg *w = join_wait();
	assert_non_null(w);
	assert_int_equal(w->pid, p);
	assert_string_equal(w->msg, "");
	free(w);
	p = tracked_child(1);
	assert_int_equal(join_waitpid(), p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(wait4_like_native, setup),
	    cmocka_unit_test_setup(nohang_running, setup),
	    cmocka_unit_test_setup(reap_then_record, setup),
	    cmocka_unit_test_setup(waitid_exit, setup),
	    cmocka_unit_test_setup(plan9_await, setup),
	    cmocka_unit_test_setup(plan9_wait, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
