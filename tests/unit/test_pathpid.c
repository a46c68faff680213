/* SPDX-License-Identifier: MIT */
/* test_pathpid.c - a log path's %p: one expansion for the library and joinrun. */
#include <string.h>

#include "unit.h"
#include "log/pathpid.h"

static void check(const char *in, const char *rep, int glob, const char *want)
{
	char out[64];
	int n = join_path_pid(out, sizeof out, in, rep, glob);
	assert_int_equal(n, (int)strlen(want));
	assert_string_equal(out, want);
}

static void test_pid(void **state)
{
	(void)state;
	check("/tmp/log.%p", "42", 0, "/tmp/log.42");
	check("%p/%p", "7", 0, "7/7");
	check("/tmp/log", "42", 0, "/tmp/log");
	check("a%%p", "42", 0, "a%p"); /* %% is one %: not a %p */
	check("a%%%p", "42", 0, "a%42");
	check("100%", "42", 0, "100%"); /* a lone % stays */
	check("a%x", "42", 0, "a%x");
	check("", "42", 0, "");
}

static void test_glob(void **state)
{
	(void)state;
	check("/tmp/l[1]*.%p", "*", 1, "/tmp/l\\[1\\]\\*.*");
	check("a%%p?%p", "*", 1, "a%p\\?*");
	check("b\\%p", "*", 1, "b\\\\*");
}

static void test_room(void **state)
{
	(void)state;
	char out[8];
	assert_int_equal(join_path_pid(out, sizeof out, "%p", "1234567", 0), 7);
	assert_int_equal(join_path_pid(out, sizeof out, "%p", "12345678", 0), -1);
	assert_int_equal(join_path_pid(out, sizeof out, "abcdefgh", "1", 0), -1);
	assert_int_equal(join_path_pid(out, 2, "*", "1", 1), -1); /* the escape does not fit */
	assert_int_equal(join_path_pid(out, 0, "", "1", 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pid),
	    cmocka_unit_test(test_glob),
	    cmocka_unit_test(test_room),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
