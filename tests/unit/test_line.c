/* SPDX-License-Identifier: MIT */
/* test_line.c - the engine's text builder: pieces in order, the length counted past
 * the buffer, a cut at its end, the NUL, numbers, and join_diag's one line. */
#include "unit.h"
#include "log/diag.h"
#include "base/line.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void pieces(void **state)
{
	(void)state;
	char b[64];
	struct join_line l = JOIN_LINE(b);
	join_line_cat(&l, JOIN_DIAG, "zombie: child ", NULL);
	join_line_u64(&l, 1234);
	join_line_str(&l, " of ");
	join_line_i64(&l, -7);
	assert_true(join_line_fits(&l));
	assert_int_equal(join_line_nul(&l), strlen("# libjoin: zombie: child 1234 of -7"));
	assert_string_equal(b, "# libjoin: zombie: child 1234 of -7");
}

static void cut(void **state)
{
	(void)state;
	char b[8] = "xxxxxxx";
	struct join_line l = {b, 5, 0};
	join_line_cat(&l, "abc", "defg", NULL);
	assert_false(join_line_fits(&l));
	assert_int_equal(l.len, 7); /* counted past the end */
	assert_int_equal(join_line_len(&l), 5);
	assert_memory_equal(b, "abcdexx", 7); /* nothing written beyond cap */
	assert_int_equal(join_line_nul(&l), 4);
	assert_string_equal(b, "abcd");
	join_line_u64(&l, 18446744073709551615u);
	assert_int_equal(l.len, 7 + 20);
	assert_string_equal(b, "abcd");
}

static void empty(void **state)
{
	(void)state;
	char b[1];
	struct join_line l = {b, 0, 0};
	join_line_str(&l, "abc");
	assert_int_equal(join_line_len(&l), 0);
	assert_int_equal(join_line_nul(&l), 0);
	struct join_line one = JOIN_LINE(b);
	join_line_str(&one, "");
	assert_true(join_line_fits(&one));
	assert_int_equal(join_line_nul(&one), 0);
	assert_int_equal(b[0], 0);
}

static void say_two(void *arg)
{
	(void)arg;
	join_diag("JOIN_X=1: ", "why", NULL);
	char big[6000];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = 0;
	join_diag(big, NULL);
}

/* join_diag: one whole line on the log (stderr by default), a long one cut but ended. */
static void diag(void **state)
{
	(void)state;
	char got[8192];
	ssize_t n = unit_stderr_of(say_two, NULL, got, sizeof got);
	assert_memory_equal(got, "# libjoin: JOIN_X=1: why\n# libjoin: aaa", 39);
	assert_int_equal(got[n - 1], '\n');
	char *second = strchr(got, '\n') + 1;
	assert_int_equal(strlen(second), 4096 + 256);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pieces),
	    cmocka_unit_test(cut),
	    cmocka_unit_test(empty),
	    cmocka_unit_test(diag),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
