/* SPDX-License-Identifier: MIT */
/* test_num.c - decimal numbers written and read by num.c, against libc's own. */
#include "unit.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"

/* join_strtol agrees with strtol(s, end, 10): value and where it stopped. */
static void same_as_libc(const char *s)
{
	char *e1, *e2;
	long want = strtol(s, &e1, 10), got = join_strtol(s, &e2);
	assert_int_equal(got, want);
	assert_ptr_equal(e2, e1);
}

static void test_strtol(void **state)
{
	static const char *const in[] = {
	    "0",
	    "42",
	    "-7",
	    "+8",
	    "  \t\n 1234 5",
	    "12abc",
	    "",
	    "abc",
	    "-",
	    "+",
	    " -",
	    "\nNSpid:\t1",
	    "9223372036854775807",
	    "9223372036854775808",
	    "-9223372036854775808",
	    "-9223372036854775809",
	    "99999999999999999999999",
	    "0x10",
	    "007",
	};
	(void)state;
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		same_as_libc(in[i]);
}

/* A /proc list of pids read number by number, as the collector reads children. */
static void test_strtol_list(void **state)
{
	char *s = "1 22 333\n", *e;
	long want[] = {1, 22, 333}, n = 0;
	(void)state;
	for (long v; (v = join_strtol(s, &e)), e != s; s = e)
		assert_int_equal(v, want[n++]);
	assert_int_equal(n, 3);
}

static void test_itoa(void **state)
{
	char b[JOIN_NUM_MAX], want[32];
	const int64_t v[] = {0, 1, -1, 10, INT64_MAX, INT64_MIN};
	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		snprintf(want, sizeof want, "%lld", (long long)v[i]);
		assert_int_equal(join_itoa(b, v[i]), strlen(want));
		assert_string_equal(b, want);
	}
	assert_int_equal(join_utoa(b, UINT64_MAX), 20);
	assert_string_equal(b, "18446744073709551615");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_strtol),
	    cmocka_unit_test(test_strtol_list),
	    cmocka_unit_test(test_itoa),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
