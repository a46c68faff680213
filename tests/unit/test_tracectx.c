/* SPDX-License-Identifier: MIT */
/* test_tracectx.c - TRACEPARENT read and written (W3C trace-context), the span ids
 * both joinrun and the library derive, and the environment rewritten at exec. */
#include <string.h>

#include "unit.h"
#include "trace/propagate.h"
#include "trace/tracectx.h"

static const char good[] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

static void test_parse(void **state)
{
	(void)state;
	struct join_tracectx c;
	assert_int_equal(join_traceparent_parse(good, &c), 0);
	assert_int_equal(c.trace[0], 0x0a);
	assert_int_equal(c.trace[15], 0x9c);
	assert_true(c.span == 0xb7ad6b7169203331ULL);
	assert_int_equal(c.flags, 1);
	char out[JOIN_TRACEPARENT_LEN + 1];
	join_traceparent_format(out, &c);
	assert_string_equal(out, good);
	/* a later version may carry more after a '-' */
	assert_int_equal(join_traceparent_parse(
	                     "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-xyz", &c),
	                 0);
}

static void test_invalid(void **state)
{
	(void)state;
	static const char *const bad[] = {
	    "",
	    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-0",   /* short */
	    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-", /* 00 is exactly 55 */
	    "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",  /* version ff */
	    "00-00000000000000000000000000000000-b7ad6b7169203331-01",  /* zero trace */
	    "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",  /* zero span */
	    "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",  /* upper case */
	    "00_0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
	    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333g-01",
	    "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01x",
	};
	struct join_tracectx c;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(join_traceparent_parse(bad[i], &c), -1);
}

static void test_span_of(void **state)
{
	(void)state;
	struct join_tracectx c;
	join_traceparent_parse(good, &c);
	uint64_t a = join_span_of(c.trace, c.span, 1000), b = join_span_of(c.trace, c.span, 1000);
	assert_true(a == b && a != 0);
	assert_true(join_span_of(c.trace, c.span, 1001) != a);
	assert_true(join_span_of(c.trace, c.span + 1, 1000) != a);
	c.trace[7] ^= 1;
	assert_true(join_span_of(c.trace, c.span, 1000) != a);
}

static int count(char **env, const char *prefix)
{
	int n = 0;
	for (; *env; env++)
		n += !strncmp(*env, prefix, strlen(prefix));
	return n;
}

static void test_env(void **state)
{
	(void)state;
	char var[JOIN_PROP_VAR_LEN], *out[8];
	char *with[] = {"A=1", "TRACEPARENT=old", "B=2", "TRACEPARENT=again", NULL};
	char *without[] = {"A=1", NULL};
	join_prop_load(good);
	assert_int_equal(join_prop_on, 1);
	assert_int_equal(join_prop_env_size(with), 6);
	assert_non_null(join_prop_env(with, 0x1122334455667788ULL, var, out, 8));
	assert_string_equal(var,
	                    "TRACEPARENT=00-0af7651916cd43dd8448eb211c80319c-1122334455667788-01");
	assert_int_equal(count(out, "TRACEPARENT="), 1); /* replaced, duplicates dropped */
	assert_string_equal(out[1], var);
	assert_int_equal(count(out, "A=1") + count(out, "B=2"), 2);
	assert_non_null(join_prop_env(without, 5, var, out, 8));
	assert_string_equal(out[1], var); /* added */
	assert_null(out[2]);
	assert_null(join_prop_env(with, 5, var, out, 3)); /* does not fit: nothing written past */
	assert_null(join_prop_env(NULL, 5, var, out, 1));
}

/* A forked child's span: its parent's slot, resolved at its first exec or fork. */
static void test_fork(void **state)
{
	(void)state;
	struct join_tracectx c;
	join_traceparent_parse(good, &c);
	join_prop_load(good);
	assert_true(join_prop_self() == c.span);
	join_prop_before_fork(42);
	uint64_t child = join_span_of(c.trace, c.span, 42);
	assert_true(join_prop_self() == child); /* what the child computes before resolving */
	join_prop_before_fork(43);              /* the child forks in turn */
	assert_true(join_prop_self() == join_span_of(c.trace, child, 43));
	join_prop_after_fork();
	assert_true(join_prop_self() == child);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse),   cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_span_of), cmocka_unit_test(test_env),
	    cmocka_unit_test(test_fork),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
