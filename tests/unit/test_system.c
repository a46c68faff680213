/* SPDX-License-Identifier: MIT */
/* test_system.c - system()'s "--" follows the running glibc's version (2.38 and later). */
#include "unit.h"
#include "engine.h"

static void test_dashdash(void **state)
{
	(void)state;
	assert_int_equal(join_system_dashdash("2.36"), 0);
	assert_int_equal(join_system_dashdash("2.37"), 0);
	assert_int_equal(join_system_dashdash("2.38"), 1);
	assert_int_equal(join_system_dashdash("2.41"), 1);
	assert_int_equal(join_system_dashdash("2.100"), 1);
	assert_int_equal(join_system_dashdash("2.4"), 0);
	assert_int_equal(join_system_dashdash("3.0"), 1);
	assert_int_equal(join_system_dashdash("1.99"), 0);
	/* Not a version: the older behaviour (musl passes "" here). */
	assert_int_equal(join_system_dashdash(""), 0);
	assert_int_equal(join_system_dashdash("2"), 0);
	assert_int_equal(join_system_dashdash("x.41"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dashdash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
