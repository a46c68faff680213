/* SPDX-License-Identifier: MIT */
/* test_await.c - await records: milliseconds, the truncation vectors of docs/DESIGN.md, and the
 * properties every cut must keep; and plan9port's style. */
#include <stdio.h>
#include <string.h>

#include "unit.h"
#include "text/text.h"

/* Defined in shim/text/await.c (not in text.h): the Plan 9 record of given fields. */
int join_fmt_await_msg(char *s, int n, pid_t pid, const unsigned long ms[3], const char *msg,
                       size_t mlen);

#define EXITED(code)        ((code) << 8)
#define SIGNALED(sig, core) ((sig) | ((core) ? 0x80 : 0))

static const unsigned long ms0010[3] = {0, 0, 10};

/* Formats with the given n into a guarded buffer; checks nothing is written past the result. */
static int fmt_msg(char *out, int n, const char *msg)
{
	char buf[512];
	int len;

	memset(buf, '#', sizeof buf);
	len = join_fmt_await_msg(buf, n, 1234, ms0010, msg, strlen(msg));
	if (len >= 0) {
		assert_true(len <= n);
		assert_int_equal(buf[len], '#');
		memcpy(out, buf, (size_t)len);
		out[len] = '\0';
	}
	return len;
}

static void vec(const char *msg, int n, const char *want)
{
	char out[512];
	int len = fmt_msg(out, n, msg);

	assert_int_equal(len, (int)strlen(want));
	assert_string_equal(out, want);
}

static void test_spec_vectors(void **state)
{
	const char *m = "8.out 1234: foo";

	(void)state;
	vec(m, 20, "1234 0 0 10 8.out");
	vec(m, 21, "1234 0 0 10 '8.out '");
	vec(m, 22, "1234 0 0 10 '8.out 1'");
	vec(m, 30, "1234 0 0 10 '8.out 1234: foo'");
	vec("", 14, "1234 0 0 10 ");
	vec("", 15, "1234 0 0 10 ''");
}

static void test_more_vectors(void **state)
{
	const char *m = "8.out 1234: foo";

	(void)state;
	/* The whole 29-byte record needs n = 30: n counts the NUL Plan 9's snprint keeps room for.
	 */
	vec(m, 29, "1234 0 0 10 '8.out 1234: fo'");
	vec(m, 31, "1234 0 0 10 '8.out 1234: foo'");
	vec(m, 511, "1234 0 0 10 '8.out 1234: foo'");
	vec(m, 19, "1234 0 0 10 8.out");
	vec(m, 18, "1234 0 0 10 8.out");
	vec(m, 17, "1234 0 0 10 8.ou");
	vec(m, 14, "1234 0 0 10 8");
	vec(m, 13, "1234 0 0 10 ");
	/* Numbers are cut bytewise. */
	vec(m, 12, "1234 0 0 10");
	vec(m, 11, "1234 0 0 1");
	vec(m, 3, "12");
	vec(m, 2, "1");
	vec(m, 1, "");
	vec("", 16, "1234 0 0 10 ''");
	/* A doubled quote is never split: it fits whole or the field ends before it. */
	vec("it's", 17, "1234 0 0 10 it");
	vec("it's", 18, "1234 0 0 10 'it'");
	vec("it's", 19, "1234 0 0 10 'it'''");
	vec("it's", 20, "1234 0 0 10 'it''s'");
	vec("it's", 21, "1234 0 0 10 'it''s'");
	/* A leading quote: needs both quotes and its double, or nothing. */
	vec("'x", 13, "1234 0 0 10 ");
	vec("'x", 15, "1234 0 0 10 ");
	vec("'x", 16, "1234 0 0 10 ''");
	vec("'x", 17, "1234 0 0 10 ''''");
	vec("'x", 18, "1234 0 0 10 '''x'");
	/* Unquoted text is cut bytewise until a byte needing quotes appears. */
	vec("abc\xff", 15, "1234 0 0 10 ab");
	vec("abc\xff", 17, "1234 0 0 10 abc\xff");
}

static void test_utf8_cut(void **state)
{
	const char *m = "x \xe2\x82\xac!"; /* "x €!" */

	(void)state;
	/* A well-formed UTF-8 sequence is kept whole, as Plan 9 keeps runes. */
	vec(m, 17, "1234 0 0 10 'x '");
	vec(m, 18, "1234 0 0 10 'x '");
	vec(m, 19, "1234 0 0 10 'x '");
	vec(m, 20, "1234 0 0 10 'x \xe2\x82\xac'");
	vec(m, 21, "1234 0 0 10 'x \xe2\x82\xac!'");
	/* A broken sequence is cut bytewise. */
	vec("x \xe2\x82", 18, "1234 0 0 10 'x \xe2'");
}

static void test_n_invalid(void **state)
{
	char buf[8] = "#######";
	struct join_rec r;

	(void)state;
	memset(&r, 0, sizeof r);
	assert_int_equal(join_fmt_await_msg(buf, 0, 1, ms0010, "", 0), -1);
	assert_int_equal(join_fmt_await_msg(buf, -5, 1, ms0010, "", 0), -1);
	assert_int_equal(join_fmt_await(buf, 0, &r, JOIN_STYLE_PLAN9), -1);
	assert_int_equal(join_fmt_await(buf, -1, &r, JOIN_STYLE_P9P), -1);
	assert_string_equal(buf, "#######");
}

/* Every cut of a record keeps the await text's promises (docs/DESIGN.md). */
static void check_all_cuts(const char *msg)
{
	char full[512], out[512], fcopy[512];
	char *ff[8], *of[8];
	int flen, n, len, nf, no, i, q;

	flen = fmt_msg(full, 511, msg);
	strcpy(fcopy, full);
	nf = join_tokenize(fcopy, ff, 8);
	assert_int_equal(nf, 5);
	assert_string_equal(ff[4], msg);
	for (n = 1; n <= flen + 1; n++) {
		len = fmt_msg(out, n, msg);
		assert_true(len >= 0);
		assert_true(len <= n - 1);
		assert_null(memchr(out, '\n', (size_t)len));
		for (q = 0, i = 0; i < len; i++)
			q += out[i] == '\'';
		assert_int_equal(q % 2, 0);
		no = join_tokenize(out, of, 8);
		assert_true(no <= 5);
		/* Whole fields equal the original's; the last one is a prefix of its original. */
		for (i = 0; i < no; i++) {
			if (i < no - 1)
				assert_string_equal(of[i], ff[i]);
			else
				assert_memory_equal(of[i], ff[i], strlen(of[i]));
		}
		if (n == flen + 1) {
			assert_int_equal(len, flen);
			assert_int_equal(no, 5);
			assert_string_equal(of[4], msg);
		}
	}
	/* Exactly the length, and one less. */
	assert_int_equal(fmt_msg(out, flen + 1, msg), flen);
	assert_true(fmt_msg(out, flen, msg) < flen);
}

static void test_all_cuts(void **state)
{
	(void)state;
	check_all_cuts("8.out 1234: foo");
	check_all_cuts("");
	check_all_cuts("plain");
	check_all_cuts("it's 7: 1");
	check_all_cuts("''''");
	check_all_cuts("a''b c");
	check_all_cuts("'");
	check_all_cuts("tab\there 9: sys: kill (core dumped)");
	check_all_cuts("\xff\xfe 3: \x01");
	check_all_cuts("caf\xc3\xa9 3: sys: abort");
	check_all_cuts("123456789012345 2147483647: sys: segmentation violation (core dumped)");
}

static struct join_rec rec(pid_t pid, const char *comm, int status)
{
	struct join_rec r;

	memset(&r, 0, sizeof r);
	r.pid = pid;
	r.status = status;
	r.has_fork = r.has_exit = 1;
	r.user_us = 1499; /* 1 ms */
	r.sys_us = 1500;  /* 2 ms */
	r.fork_ns = 1000000000;
	r.exit_ns = 1000000000 + 2500000; /* 3 ms */
	memcpy(r.comm, comm, strlen(comm) + 1);
	return r;
}

static void check_rec(const struct join_rec *r, int style, const char *want)
{
	char out[256];
	int len;

	memset(out, '#', sizeof out);
	len = join_fmt_await(out, sizeof out, r, style);
	assert_int_equal(len, (int)strlen(want));
	assert_memory_equal(out, want, (size_t)len);
	assert_int_equal(out[len], '#');
}

static void test_rec_ms(void **state)
{
	struct join_rec r = rec(1, "x", 0);
	unsigned long ms[3];

	(void)state;
	join_rec_ms(&r, JOIN_STYLE_PLAN9, ms);
	assert_int_equal(ms[0], 1);
	assert_int_equal(ms[1], 2);
	assert_int_equal(ms[2], 3);
	join_rec_ms(&r, JOIN_STYLE_P9P, ms);
	assert_int_equal(ms[0], 1);
	assert_int_equal(ms[1], 2);
	assert_int_equal(ms[2], 3); /* u + s */

	r.user_us = 7250000;
	r.sys_us = 499;
	r.exit_ns = r.fork_ns + 2499999;
	join_rec_ms(&r, JOIN_STYLE_PLAN9, ms);
	assert_int_equal(ms[0], 7250);
	assert_int_equal(ms[1], 0);
	assert_int_equal(ms[2], 2);
	join_rec_ms(&r, JOIN_STYLE_P9P, ms);
	assert_int_equal(ms[2], 7250);

	/* Real is unknown without both instants, or when they disagree. */
	r.has_fork = 0;
	join_rec_ms(&r, JOIN_STYLE_PLAN9, ms);
	assert_int_equal(ms[2], 0);
	r.has_fork = 1;
	r.has_exit = 0;
	join_rec_ms(&r, JOIN_STYLE_PLAN9, ms);
	assert_int_equal(ms[2], 0);
	r.has_exit = 1;
	r.exit_ns = r.fork_ns - 1;
	join_rec_ms(&r, JOIN_STYLE_PLAN9, ms);
	assert_int_equal(ms[2], 0);
	r.exit_ns = r.fork_ns;
	join_rec_ms(&r, JOIN_STYLE_PLAN9, ms);
	assert_int_equal(ms[2], 0);
	r.exit_ns = r.fork_ns + 500000;
	join_rec_ms(&r, JOIN_STYLE_PLAN9, ms);
	assert_int_equal(ms[2], 1);

	/* No overflow near the top. */
	r.user_us = UINT64_MAX;
	r.fork_ns = 0;
	r.exit_ns = UINT64_MAX;
	join_rec_ms(&r, JOIN_STYLE_PLAN9, ms);
	assert_int_equal(ms[0], 18446744073709552UL);
	assert_int_equal(ms[2], 18446744073710UL);
}

static void test_rec_plan9(void **state)
{
	struct join_rec r;

	(void)state;
	r = rec(77, "cc", EXITED(0));
	check_rec(&r, JOIN_STYLE_PLAN9, "77 1 2 3 ''");
	r = rec(77, "cc", EXITED(3));
	check_rec(&r, JOIN_STYLE_PLAN9, "77 1 2 3 'cc 77: 3'");
	r = rec(77, "cc", SIGNALED(11, 1));
	check_rec(&r, JOIN_STYLE_PLAN9,
	          "77 1 2 3 'cc 77: sys: segmentation violation (core dumped)'");
	r = rec(77, "", SIGNALED(9, 0));
	check_rec(&r, JOIN_STYLE_PLAN9, "77 1 2 3 '? 77: sys: kill'");
	r = rec(77, "it's", EXITED(1));
	check_rec(&r, JOIN_STYLE_PLAN9, "77 1 2 3 'it''s 77: 1'");
	r = rec(77, "a\nb\r", EXITED(1));
	check_rec(&r, JOIN_STYLE_PLAN9, "77 1 2 3 'a?b? 77: 1'");
	/* A full comm with no NUL in the record. */
	r = rec(77, "", EXITED(1));
	memset(r.comm, 'z', sizeof r.comm);
	check_rec(&r, JOIN_STYLE_PLAN9, "77 1 2 3 'zzzzzzzzzzzzzzzz 77: 1'");
	r = rec(77, "cc", EXITED(1));
	r.has_exit = 0;
	check_rec(&r, JOIN_STYLE_PLAN9, "77 1 2 0 'cc 77: 1'");
}

static void test_rec_p9p(void **state)
{
	struct join_rec r;
	char out[64];

	(void)state;
	r = rec(77, "cc", EXITED(0));
	check_rec(&r, JOIN_STYLE_P9P, "77 1 2 3 ''");
	r = rec(77, "cc", EXITED(3));
	check_rec(&r, JOIN_STYLE_P9P, "77 1 2 3 3");
	r = rec(77, "cc", EXITED(255));
	check_rec(&r, JOIN_STYLE_P9P, "77 1 2 3 255");
	r = rec(77, "cc", SIGNALED(11, 1));
	check_rec(&r, JOIN_STYLE_P9P,
	          "77 1 2 3 'signal: sys: segmentation violation (core dumped)'");
	r = rec(77, "cc", SIGNALED(15, 0));
	check_rec(&r, JOIN_STYLE_P9P, "77 1 2 3 'signal: kill'");
	r = rec(77, "cc", SIGNALED(40, 0));
	check_rec(&r, JOIN_STYLE_P9P, "77 1 2 3 'signal: sys: signal 40'");
	/* Real is user + sys, even without fork and exit times. */
	r.has_fork = r.has_exit = 0;
	r.user_us = 10000;
	r.sys_us = 5000;
	check_rec(&r, JOIN_STYLE_P9P, "77 10 5 15 'signal: sys: signal 40'");

	/* Raw cut at n-1 bytes (strecpy): quotes may be left open. */
	r = rec(77, "cc", SIGNALED(15, 0));
	memset(out, '#', sizeof out);
	assert_int_equal(join_fmt_await(out, 12, &r, JOIN_STYLE_P9P), 11);
	assert_memory_equal(out, "77 1 2 3 's#", 12);
	assert_int_equal(join_fmt_await(out, 1, &r, JOIN_STYLE_P9P), 0);
	assert_int_equal(join_fmt_await(out, 5, &r, JOIN_STYLE_P9P), 4);
	assert_memory_equal(out, "77 1", 4);
	/* 23 bytes in all: n = 24 holds them, n = 23 loses the closing quote. */
	assert_int_equal(join_fmt_await(out, 24, &r, JOIN_STYLE_P9P), 23);
	assert_int_equal(join_fmt_await(out, 23, &r, JOIN_STYLE_P9P), 22);
	assert_memory_equal(out, "77 1 2 3 'signal: kill", 22);
}

static void test_rec_cut_plan9(void **state)
{
	struct join_rec r = rec(1234, "8.out", EXITED(1));
	char out[64];
	int len;

	(void)state;
	/* "1234 1 2 3 '8.out 1234: 1'": the same rule through join_fmt_await. */
	len = join_fmt_await(out, 19, &r, JOIN_STYLE_PLAN9);
	assert_int_equal(len, 16);
	assert_memory_equal(out, "1234 1 2 3 8.out", 16);
	len = join_fmt_await(out, 20, &r, JOIN_STYLE_PLAN9);
	assert_int_equal(len, 19);
	assert_memory_equal(out, "1234 1 2 3 '8.out '", 19);
	len = join_fmt_await(out, 27, &r, JOIN_STYLE_PLAN9);
	assert_int_equal(len, 26);
	assert_memory_equal(out, "1234 1 2 3 '8.out 1234: 1'", 26);
	len = join_fmt_await(out, 26, &r, JOIN_STYLE_PLAN9);
	assert_int_equal(len, 25);
	assert_memory_equal(out, "1234 1 2 3 '8.out 1234: '", 25);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_spec_vectors),  cmocka_unit_test(test_more_vectors),
	    cmocka_unit_test(test_utf8_cut),      cmocka_unit_test(test_n_invalid),
	    cmocka_unit_test(test_all_cuts),      cmocka_unit_test(test_rec_ms),
	    cmocka_unit_test(test_rec_plan9),     cmocka_unit_test(test_rec_p9p),
	    cmocka_unit_test(test_rec_cut_plan9),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
