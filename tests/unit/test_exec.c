/* SPDX-License-Identifier: MIT */
/* test_exec.c - the exec event's command line: packed, cut to a ring slot at whole
 * arguments, read from /proc, and written as a JSON line that says when it is cut. */
#include <string.h>

#include "unit.h"
#include "text/event.h"
#include "exec.h"
#include "text/text.h"

static void test_pack(void **state)
{
	(void)state;
	char *argv[] = {"cc", "-c", "a.c", NULL}, out[16];
	int t;
	assert_int_equal(join_argv_pack(out, sizeof out, 3, argv, &t), 10);
	assert_int_equal(t, 0);
	assert_memory_equal(out, "cc\0-c\0a.c", 10);
	/* "cc\0-c\0" fits in 7, "a.c\0" does not: whole arguments only. */
	assert_int_equal(join_argv_pack(out, 7, 3, argv, &t), 6);
	assert_int_equal(t, 1);
	assert_int_equal(join_argv_pack(out, sizeof out, 0, argv, &t), 0);
}

static void test_cut(void **state)
{
	(void)state;
	int t = 0;
	assert_int_equal(join_args_cut("ab\0cd\0ef", 9, 9, &t), 9);
	assert_int_equal(t, 0);
	assert_int_equal(join_args_cut("ab\0cd\0ef", 9, 8, &t), 6);
	assert_int_equal(t, 1);
	t = 0;
	assert_int_equal(join_args_cut("abcdef", 7, 3, &t), 0);
	assert_int_equal(t, 1);
}

static void test_cmdline(void **state)
{
	(void)state;
	char out[4096];
	int t;
	ssize_t n = join_cmdline(out, sizeof out, &t);
	assert_true(n > 0 && out[n - 1] == 0);
	assert_non_null(strstr(out, "test_exec")); /* argv[0], this program */
	n = join_cmdline(out, 4, &t);              /* no whole argument fits in 4 bytes */
	assert_true(n >= 0 && t == 1);
}

static size_t line(char *buf, size_t cap, const char *args, size_t len, int truncated)
{
	struct join_self me = {.pid = 7, .comm = "cc"};
	size_t n = join_jsonl_exec(buf, cap, &me, 5, args, len, truncated);
	if (n)
		buf[n] = 0;
	return n;
}

static void test_json(void **state)
{
	(void)state;
	char buf[512];
	assert_true(line(buf, sizeof buf, "cc\0-c\0a \"b\".c", 14, 0) > 0);
	assert_string_equal(buf,
	                    "{\"event\":\"exec\",\"pid\":7,\"comm\":\"cc\",\"t_ns\":5,\"argv\":"
	                    "[\"cc\",\"-c\",\"a \\\"b\\\".c\"],\"argv_truncated\":false}\n");
	assert_true(line(buf, sizeof buf, "cc", 3, 1) > 0);
	assert_non_null(strstr(buf, "\"argv\":[\"cc\"],\"argv_truncated\":true}"));
	assert_true(line(buf, sizeof buf, NULL, (size_t)-1, 0) > 0);
	assert_non_null(strstr(buf, "\"argv\":null,\"argv_truncated\":false}"));
	/* A line too long for its buffer keeps the arguments that fit, and says so. */
	char big[300];
	memset(big, 'x', sizeof big);
	big[sizeof big - 1] = 0;
	char args[310] = "echo";
	memcpy(args + 5, big, sizeof big);
	assert_true(line(buf, 200, args, 5 + sizeof big, 0) > 0);
	assert_non_null(strstr(buf, "\"argv\":[\"echo\"],\"argv_truncated\":true}\n"));
}

static void test_valid(void **state)
{
	(void)state;
	struct join_event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = JOIN_EV_EXEC;
	ev.pid = 3;
	ev.u.exec.len = JOIN_EXEC_ARGS;
	assert_int_equal(join_event_valid(&ev), 1);
	ev.u.exec.len = JOIN_EXEC_ARGS + 1; /* from a hostile process of the tree */
	assert_int_equal(join_event_valid(&ev), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pack),    cmocka_unit_test(test_cut),
	    cmocka_unit_test(test_cmdline), cmocka_unit_test(test_json),
	    cmocka_unit_test(test_valid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
