/* SPDX-License-Identifier: MIT */
/* test_pidfd.c - the pid behind a pidfd (pidfd_spawn's child): the kernel's answer,
 * errno untouched, -1 for what is no pidfd or a child already reaped. */
#include "unit.h"
#include "base/proc.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void test_pidfd_pid(void **state)
{
	(void)state;
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	assert_true(child > 0);
	int fd = (int)syscall(SYS_pidfd_open, child, 0);
	if (fd < 0 && errno == ENOSYS) { /* valgrind 3.19 has no pidfd_open */
		assert_int_equal(waitpid(child, NULL, 0), child);
		skip();
	}
	assert_true(fd >= 0);
	errno = EDOM;
	assert_int_equal(join_proc_pidfd_pid(fd), child);
	assert_int_equal(errno, EDOM);
	/* A zombie still has its pid; a reaped child has none. */
	siginfo_t si;
	assert_int_equal(waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT), 0);
	assert_int_equal(join_proc_pidfd_pid(fd), child);
	assert_int_equal(waitpid(child, NULL, 0), child);
	assert_int_equal(join_proc_pidfd_pid(fd), -1);
	close(fd);
}

static void test_not_a_pidfd(void **state)
{
	(void)state;
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	errno = EDOM;
	assert_int_equal(join_proc_pidfd_pid(fd), -1);
	assert_int_equal(join_proc_pidfd_pid(-1), -1);
	assert_int_equal(errno, EDOM);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pidfd_pid),
	    cmocka_unit_test(test_not_a_pidfd),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
