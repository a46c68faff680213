/* SPDX-License-Identifier: MIT */
/* test_exitstr.c - exit strings of wait statuses in both styles, and the name tables. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "text/text.h"

/* plan9port's src/lib9/await.c table, by Linux signal number (x86-64 and generic). */
static const char *const names[65] = {
    [1] = "hangup",
    [2] = "interrupt",
    [3] = "quit",
    [4] = "sys: illegal instruction",
    [5] = "sys: breakpoint",
    [6] = "sys: abort",
    [7] = "sys: bus error",
    [8] = "sys: fp: trap",
    [9] = "sys: kill",
    [10] = "sys: usr1",
    [11] = "sys: segmentation violation",
    [12] = "sys: usr2",
    [13] = "sys: write on closed pipe",
    [14] = "alarm",
    [15] = "kill",
    /* 16 SIGSTKFLT has no name */
    [17] = "sys: child",
    [18] = "sys: cont",
    [19] = "sys: stop",
    [20] = "sys: tstp",
    [21] = "sys: ttin",
    [22] = "sys: ttou",
    [23] = "sys: urgent condition on socket",
    [24] = "sys: cpu time limit exceeded",
    [25] = "sys: file size limit exceeded",
    [26] = "sys: virtual time alarm",
    [27] = "sys: profiling timer alarm",
    [28] = "sys: window size change",
    [29] = "sys: i/o possible on fd",
    /* 30 SIGPWR, 31 SIGSYS, 32-64 real-time: no names */
};

#define EXITED(code)        ((code) << 8)
#define SIGNALED(sig, core) ((sig) | ((core) ? 0x80 : 0))

static const char *want_name(int sig, char buf[32])
{
	if (sig >= 1 && sig <= 64 && names[sig] != NULL)
		return names[sig];
	snprintf(buf, 32, "sys: signal %d", sig);
	return buf;
}

static void check(int style, pid_t pid, const char *comm, int status, const char *want)
{
	char out[128];
	size_t n;

	memset(out, '#', sizeof out);
	n = join_exitstr(out, style, pid, comm, status);
	assert_string_equal(out, want);
	assert_int_equal(n, strlen(want));
}

static void test_signame(void **state)
{
	char tmp[32], buf[32];
	int sig;

	(void)state;
	for (sig = 1; sig <= 64; sig++) {
		assert_string_equal(join_signame(sig, JOIN_STYLE_PLAN9, tmp), want_name(sig, buf));
		assert_string_equal(join_signame(sig, JOIN_STYLE_P9P, tmp), want_name(sig, buf));
	}
	assert_string_equal(join_signame(11, JOIN_STYLE_PLAN9, tmp), "sys: segmentation violation");
	assert_string_equal(join_signame(16, JOIN_STYLE_PLAN9, tmp), "sys: signal 16");
	assert_ptr_equal(join_signame(16, JOIN_STYLE_PLAN9, tmp), tmp);
	assert_string_equal(join_signame(0, JOIN_STYLE_PLAN9, tmp), "sys: signal 0");
	assert_string_equal(join_signame(-2147483647 - 1, JOIN_STYLE_PLAN9, tmp),
	                    "sys: signal -2147483648");
	assert_null(join_signame(40, JOIN_STYLE_PLAN9, NULL));
	assert_string_equal(join_signame(9, JOIN_STYLE_PLAN9, NULL), "sys: kill");
}

static void test_signals_plan9(void **state)
{
	char want[128], buf[32];
	int sig, core;

	(void)state;
	for (sig = 1; sig <= 64; sig++)
		for (core = 0; core <= 1; core++) {
			snprintf(want, sizeof want, "sleep 4321: %s%s", want_name(sig, buf),
			         core ? " (core dumped)" : "");
			check(JOIN_STYLE_PLAN9, 4321, "sleep", SIGNALED(sig, core), want);
		}
	check(JOIN_STYLE_PLAN9, 7, "a.out", SIGNALED(11, 1),
	      "a.out 7: sys: segmentation violation (core dumped)");
	check(JOIN_STYLE_PLAN9, 7, "a.out", SIGNALED(6, 0), "a.out 7: sys: abort");
	check(JOIN_STYLE_PLAN9, 7, "yes", SIGNALED(13, 0), "yes 7: sys: write on closed pipe");
	check(JOIN_STYLE_PLAN9, 7, "x", SIGNALED(15, 0), "x 7: kill");
	check(JOIN_STYLE_PLAN9, 7, "x", SIGNALED(34, 0), "x 7: sys: signal 34");
	check(JOIN_STYLE_PLAN9, 7, "x", SIGNALED(64, 1), "x 7: sys: signal 64 (core dumped)");
}

static void test_signals_p9p(void **state)
{
	char want[128], buf[32];
	int sig, core;

	(void)state;
	for (sig = 1; sig <= 64; sig++)
		for (core = 0; core <= 1; core++) {
			snprintf(want, sizeof want, "signal: %s%s", want_name(sig, buf),
			         core ? " (core dumped)" : "");
			check(JOIN_STYLE_P9P, 4321, "sleep", SIGNALED(sig, core), want);
		}
	check(JOIN_STYLE_P9P, 7, "x", SIGNALED(2, 0), "signal: interrupt");
	check(JOIN_STYLE_P9P, 7, "x", SIGNALED(3, 1), "signal: quit (core dumped)");
}

static void test_codes(void **state)
{
	char want[128];
	int code;

	(void)state;
	check(JOIN_STYLE_PLAN9, 99, "true", EXITED(0), "");
	check(JOIN_STYLE_P9P, 99, "true", EXITED(0), "");
	for (code = 1; code <= 255; code++) {
		snprintf(want, sizeof want, "false 99: %d", code);
		check(JOIN_STYLE_PLAN9, 99, "false", EXITED(code), want);
		snprintf(want, sizeof want, "%d", code);
		check(JOIN_STYLE_P9P, 99, "false", EXITED(code), want);
	}
	check(JOIN_STYLE_PLAN9, 2147483647, "sh", EXITED(255), "sh 2147483647: 255");
}

static void test_comm(void **state)
{
	char big[300], want[128];
	char out[128];
	size_t n;

	(void)state;
	/* Unknown comm: "?" as the name. */
	check(JOIN_STYLE_PLAN9, 12, "", EXITED(1), "? 12: 1");
	check(JOIN_STYLE_PLAN9, 12, NULL, SIGNALED(9, 0), "? 12: sys: kill");
	check(JOIN_STYLE_P9P, 12, "", EXITED(1), "1");
	/* Bytes of the name are kept, quoting is the await format's job; but control
	 * bytes show as '?' (as in ps), so that no record holds a newline. */
	check(JOIN_STYLE_PLAN9, 12, "it's a b", EXITED(2), "it's a b 12: 2");
	check(JOIN_STYLE_PLAN9, 12, "a\nb\tc\rd", EXITED(2), "a?b?c?d 12: 2");
	check(JOIN_STYLE_PLAN9, 12, "\xff\x01\x7f\x1f\x80", EXITED(2), "\xff???\x80 12: 2");
	check(JOIN_STYLE_PLAN9, 12, "\xc3\xa9t\xc3", EXITED(2), "\xc3\xa9t\xc3 12: 2");
	check(JOIN_STYLE_PLAN9, 12, "?", EXITED(2), "? 12: 2");
	/* A full 15-byte comm. */
	check(JOIN_STYLE_PLAN9, 1, "123456789012345", EXITED(3), "123456789012345 1: 3");

	/* At most 127 bytes: cut bytewise. */
	memset(big, 'c', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memset(out, '#', sizeof out);
	n = join_exitstr(out, JOIN_STYLE_PLAN9, 12, big, EXITED(1));
	assert_int_equal(n, 127);
	assert_int_equal(out[127], '\0');
	memset(want, 'c', 127);
	assert_memory_equal(out, want, 127);

	/* 120 bytes of name, then " 12: sys: kill" cut at 127. */
	big[120] = '\0';
	n = join_exitstr(out, JOIN_STYLE_PLAN9, 12, big, SIGNALED(9, 0));
	assert_int_equal(n, 127);
	assert_memory_equal(out + 120, " 12: sy", 8);
}

static void test_stopped(void **state)
{
	char out[128];

	(void)state;
	/* Not an exit: never reported, but the string says what the status was. */
	join_exitstr(out, JOIN_STYLE_PLAN9, 5, "x", 0x137f); /* stopped by SIGSTOP */
	assert_string_equal(out, "x 5: sys: status 4991");
	join_exitstr(out, JOIN_STYLE_P9P, 5, "x", 0xffff); /* continued */
	assert_string_equal(out, "sys: status 65535");
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(join_how_name(JOIN_HOW_FORK), "fork");
	assert_string_equal(join_how_name(JOIN_HOW_VFORK), "vfork");
	assert_string_equal(join_how_name(JOIN_HOW__FORK), "_Fork");
	assert_string_equal(join_how_name(JOIN_HOW_CLONE), "clone");
	assert_string_equal(join_how_name(JOIN_HOW_SPAWN), "posix_spawn");
	assert_string_equal(join_how_name(JOIN_HOW_SYSTEM), "system");
	assert_string_equal(join_how_name(JOIN_HOW_POPEN), "popen");
	assert_string_equal(join_how_name(JOIN_HOW_PIDFD_SPAWN), "pidfd_spawn");
	assert_string_equal(join_how_name(JOIN_HOW_PIDFD_SPAWNP), "pidfd_spawnp");
	assert_string_equal(join_how_name(JOIN_HOW_UNKNOWN), "unknown");
	assert_string_equal(join_how_name(-1), "unknown");
	assert_string_equal(join_how_name(JOIN_HOW_UNKNOWN + 1), "unknown");
	assert_string_equal(join_how_name(255), "unknown");

	assert_string_equal(join_call_name(JOIN_CALL_WAIT), "wait");
	assert_string_equal(join_call_name(JOIN_CALL_WAITPID), "waitpid");
	assert_string_equal(join_call_name(JOIN_CALL_WAIT3), "wait3");
	assert_string_equal(join_call_name(JOIN_CALL_WAIT4), "wait4");
	assert_string_equal(join_call_name(JOIN_CALL_WAITID), "waitid");
	assert_string_equal(join_call_name(JOIN_CALL_SYSTEM), "system");
	assert_string_equal(join_call_name(JOIN_CALL_PCLOSE), "pclose");
	assert_string_equal(join_call_name(JOIN_CALL_AWAIT), "await");
	assert_string_equal(join_call_name(JOIN_CALL_PROC_JOIN), "proc_join");
	assert_string_equal(join_call_name(-1), "unknown");
	assert_string_equal(join_call_name(9), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_signame),     cmocka_unit_test(test_signals_plan9),
	    cmocka_unit_test(test_signals_p9p), cmocka_unit_test(test_codes),
	    cmocka_unit_test(test_comm),        cmocka_unit_test(test_stopped),
	    cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
