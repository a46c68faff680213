/* SPDX-License-Identifier: MIT */
/* test_quote.c - Plan 9 %q: which fields need quotes, and how they are written. */
#include <string.h>

#include "unit.h"
#include "text/text.h"

static int needs(const char *s)
{
	return join_needs_quote(s, strlen(s));
}

static void test_needs_quote(void **state)
{
	(void)state;
	assert_int_equal(needs(""), 1);
	assert_int_equal(needs("a"), 0);
	assert_int_equal(needs("8.out"), 0);
	assert_int_equal(needs("a b"), 1);
	assert_int_equal(needs("a\tb"), 1);
	assert_int_equal(needs("a\nb"), 1);
	assert_int_equal(needs("\x01"), 1);
	assert_int_equal(needs("\x1f"), 1);
	assert_int_equal(needs("it's"), 1);
	assert_int_equal(needs("'"), 1);
	/* 0x21 is the first byte above ' '; DEL and non-ASCII bytes are not quote-worthy. */
	assert_int_equal(needs("!"), 0);
	assert_int_equal(needs("\x7f"), 0);
	assert_int_equal(needs("\x80"), 0);
	assert_int_equal(needs("\xff"), 0);
	assert_int_equal(needs("caf\xc3\xa9"), 0);
	assert_int_equal(needs("\"\\$"), 0);
	/* A NUL inside the length is a byte <= ' '. */
	assert_int_equal(join_needs_quote("a\0b", 3), 1);
	/* Only len bytes count. */
	assert_int_equal(join_needs_quote("ab cd", 2), 0);
}

static void check_quote(const char *in, const char *want)
{
	char out[256];
	size_t n;

	memset(out, '#', sizeof out);
	n = join_quote(out, sizeof out, in, strlen(in));
	assert_int_equal(n, strlen(want));
	assert_memory_equal(out, want, n);
	assert_int_equal(out[n], '#'); /* no NUL written */
}

static void test_quote(void **state)
{
	(void)state;
	check_quote("", "''");
	check_quote("a", "a");
	check_quote("8.out", "8.out");
	check_quote("8.out 1234: foo", "'8.out 1234: foo'");
	check_quote("it's", "'it''s'");
	check_quote("'", "''''");
	check_quote("''", "''''''");
	check_quote("a\nb", "'a\nb'");
	check_quote("\xff\xfe", "\xff\xfe");
	check_quote("tab\there", "'tab\there'");
}

static void test_quote_cap(void **state)
{
	char out[8];
	size_t n;

	(void)state;
	/* Writes at most cap bytes and still returns the full length. */
	memset(out, '#', sizeof out);
	n = join_quote(out, 3, "it's", 4);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "'it#", 4);

	memset(out, '#', sizeof out);
	n = join_quote(out, 0, "", 0);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], '#');

	memset(out, '#', sizeof out);
	n = join_quote(out, 2, "abc", 3);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "ab#", 3);

	memset(out, '#', sizeof out);
	n = join_quote(out, 7, "it's", 4);
	assert_int_equal(n, 7);
	assert_memory_equal(out, "'it''s'#", 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_needs_quote),
	    cmocka_unit_test(test_quote),
	    cmocka_unit_test(test_quote_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
