/* SPDX-License-Identifier: MIT */
/* test_parse.c - await records back into JoinWaitmsg: good ones, and the ones to refuse. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "text/text.h"

static JoinWaitmsg *parse(const char *s)
{
	return join_parse_await(s, strlen(s));
}

static void good(const char *s, int pid, unsigned long u, unsigned long sy, unsigned long r,
                 const char *msg)
{
	JoinWaitmsg *w = parse(s);

	assert_non_null(w);
	assert_int_equal(w->pid, pid);
	assert_int_equal(w->time[0], u);
	assert_int_equal(w->time[1], sy);
	assert_int_equal(w->time[2], r);
	assert_string_equal(w->msg, msg);
	/* One block: msg lies inside it, after the struct. */
	assert_true(w->msg >= (char *)(w + 1));
	assert_true(w->msg <= (char *)(w + 1) + strlen(s));
	free(w);
}

static void bad(const char *s)
{
	errno = 0;
	assert_null(parse(s));
	assert_int_equal(errno, EINVAL);
}

static void test_good(void **state)
{
	(void)state;
	good("1234 0 0 10 '8.out 1234: foo'", 1234, 0, 0, 10, "8.out 1234: foo");
	good("1234 0 0 10 ''", 1234, 0, 0, 10, "");
	good("7 1 2 3 3", 7, 1, 2, 3, "3");
	good("7 1 2 3 'it''s 7: sys: kill'", 7, 1, 2, 3, "it's 7: sys: kill");
	good("  7\t1 2 3 x\n", 7, 1, 2, 3, "x");
	good("2147483647 18446744073709551615 0 0 ''", INT_MAX, ULONG_MAX, 0, 0, "");
	good("0 00 007 0 m", 0, 0, 7, 0, "m");
	good("1234 0 0 10 8.out", 1234, 0, 0, 10, "8.out"); /* a truncated record */
	good("1234 0 0 10 '8.out '", 1234, 0, 0, 10, "8.out ");
}

static void test_len(void **state)
{
	JoinWaitmsg *w;

	(void)state;
	/* Only len bytes are read: no NUL is needed after them. */
	w = join_parse_await("1 2 3 4 five six", 12);
	assert_non_null(w);
	assert_string_equal(w->msg, "five");
	free(w);
	/* A NUL inside len ends the text. */
	w = join_parse_await("1 2 3 4 5\0 6", 12);
	assert_non_null(w);
	assert_string_equal(w->msg, "5");
	free(w);
}

static void test_bad(void **state)
{
	(void)state;
	bad("");
	bad("   ");
	bad("1234 0 0 10");       /* 4 fields */
	bad("1234 0 0 10 a b");   /* 6 fields */
	bad("1234 0 0 10 '' ''"); /* 6 fields, the last empty */
	bad("x 0 0 10 ''");
	bad("1234 0 a 10 ''");
	bad("1234 0 0 1x ''");
	bad("-1 0 0 10 ''");
	bad("+1 0 0 10 ''");
	bad("1234 -0 0 10 ''");
	bad("1234 0 0 0x10 ''");
	bad("'' 0 0 10 ''");                  /* an empty number */
	bad("2147483648 0 0 0 ''");           /* INT_MAX + 1 */
	bad("1 18446744073709551616 0 0 ''"); /* ULONG_MAX + 1 */
	bad("1 0 99999999999999999999999 0 ''");
	errno = 0;
	assert_null(join_parse_await(NULL, 0));
	assert_int_equal(errno, EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good),
	    cmocka_unit_test(test_len),
	    cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
