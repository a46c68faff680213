/* SPDX-License-Identifier: MIT */
/* test_tokenize.c - Plan 9 tokenize: blanks, quotes, doubled quotes, maxargs. */
#include <string.h>

#include "unit.h"
#include "join.h"

/* Tokenizes a copy of in into at most max fields and checks them against want. */
static void check(const char *in, int max, int nwant, const char *const *want)
{
	char buf[256];
	char *args[16];
	int n, i;

	strcpy(buf, in);
	n = join_tokenize(buf, args, max);
	assert_int_equal(n, nwant);
	for (i = 0; i < n; i++)
		assert_string_equal(args[i], want[i]);
}

#define CHECK(in, max, ...)                                                                        \
	do {                                                                                       \
		const char *const w_[] = {__VA_ARGS__};                                            \
		check(in, max, (int)(sizeof w_ / sizeof w_[0]), w_);                               \
	} while (0)

static void test_plain(void **state)
{
	(void)state;
	CHECK("a b c", 16, "a", "b", "c");
	CHECK("  a \t b\r\nc  ", 16, "a", "b", "c");
	CHECK("1234 0 0 10 8.out", 16, "1234", "0", "0", "10", "8.out");
	CHECK("\x01\xff x", 16, "\x01\xff", "x"); /* only space, tab, CR, NL separate */
	check("", 16, 0, NULL);
	check(" \t\r\n ", 16, 0, NULL);
}

static void test_quotes(void **state)
{
	(void)state;
	CHECK("1234 0 0 10 '8.out 1234: foo'", 16, "1234", "0", "0", "10", "8.out 1234: foo");
	CHECK("''", 16, "");
	CHECK("a '' b", 16, "a", "", "b");
	CHECK("'it''s'", 16, "it's");
	CHECK("''''", 16, "'");
	CHECK("''''''", 16, "''");
	CHECK("'a b'c' d'", 16, "a bc d"); /* quoted sections join with their neighbours */
	CHECK("x'y z'w q", 16, "xy zw", "q");
	CHECK("'tab\there\nnl'", 16, "tab\there\nnl");
	CHECK("'open ended", 16, "open ended"); /* an unclosed quote runs to the end */
	CHECK("'' ''", 16, "", "");
}

static void test_maxargs(void **state)
{
	char buf[64];
	char *args[4];

	(void)state;
	CHECK("a b c d", 2, "a", "b");
	check("a b", 0, 0, NULL);
	check("a b", -1, 0, NULL);
	CHECK("a b c d", 4, "a", "b", "c", "d");

	/* Fields past maxargs are left as they were, not split or unquoted. */
	strcpy(buf, "a 'b c' 'd''e'");
	assert_int_equal(join_tokenize(buf, args, 2), 2);
	assert_string_equal(args[0], "a");
	assert_string_equal(args[1], "b c");
	assert_string_equal(buf + 8, "'d''e'");
}

static void test_in_place(void **state)
{
	char buf[] = "ab 'c''d' e";
	char *args[4];

	(void)state;
	assert_int_equal(join_tokenize(buf, args, 4), 3);
	/* Fields point into the buffer and are NUL-terminated there. */
	assert_ptr_equal(args[0], buf);
	assert_ptr_equal(args[1], buf + 3);
	assert_ptr_equal(args[2], buf + 10);
	assert_string_equal(args[1], "c'd");
	assert_int_equal(buf[2], '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain),
	    cmocka_unit_test(test_quotes),
	    cmocka_unit_test(test_maxargs),
	    cmocka_unit_test(test_in_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
