/* SPDX-License-Identifier: MIT */
/*
 * fuzz_quote.c - %q quoting of any bytes (NUL aside: a C string cannot hold
 * it) and back.  join_quote's length is the same with or without room, it
 * never writes past cap, it quotes exactly when join_needs_quote says so,
 * and tokenizing the quoted text gives the input back as one field; two
 * quoted fields joined by a blank come back as two.
 */
#include "fuzz.h"
#include "text/text.h"

#define MAXIN 2048

static char in[MAXIN], out[2 * MAXIN + 8], two[4 * MAXIN + 16];

static void one_field(char *q, size_t qlen, const char *s, size_t len)
{
	char *f[3];
	q[qlen] = 0;
	int n = join_tokenize(q, f, 3);
	CHECK(n == 1, "%d fields from \"%.*s\"", n, (int)len, s);
	CHECK(strlen(f[0]) == len && !memcmp(f[0], s, len), "round trip changed \"%.*s\"", (int)len,
	      s);
}

/* Empty, or a byte <= ' ' (blanks, controls) or a quote: Plan 9's rule. */
static int ref_needs(const char *s, size_t len)
{
	int b = len == 0;
	for (size_t i = 0; i < len; i++)
		b |= (unsigned char)s[i] <= ' ' || s[i] == '\'';
	return b;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t len = 0, split = size ? data[0] : 0;
	for (size_t i = 1; i < size && len < MAXIN; i++)
		if (data[i])
			in[len++] = (char)data[i];
	size_t full = join_quote(out, 0, in, len);
	int needs = join_needs_quote(in, len);
	CHECK(needs == ref_needs(in, len), "join_needs_quote says %d", needs);
	/* a cut never writes past cap */
	size_t cap = full ? split % (full + 1) : 0;
	memset(out, 0x55, sizeof out);
	CHECK(join_quote(out, cap, in, len) == full, "length depends on cap");
	for (size_t i = cap; i < full + 2; i++)
		CHECK((unsigned char)out[i] == 0x55, "wrote byte %zu past cap %zu", i, cap);
	CHECK(join_quote(out, sizeof out, in, len) == full, "length with room");
	CHECK(needs ? out[0] == '\'' && out[full - 1] == '\''
	            : full == len && !memcmp(out, in, len),
	      "quoted when it needs not, or not when it needs");
	one_field(out, full, in, len);
	/* two fields: in[0..k) and in[k..len) */
	size_t k = len ? split % (len + 1) : 0;
	size_t a = join_quote(two, sizeof two, in, k);
	two[a++] = ' ';
	size_t b = join_quote(two + a, sizeof two - a, in + k, len - k);
	two[a + b] = 0;
	char *f[3];
	int n = join_tokenize(two, f, 3);
	CHECK(n == 2, "%d fields from two quoted ones", n);
	CHECK(strlen(f[0]) == k && !memcmp(f[0], in, k), "first of two changed");
	CHECK(strlen(f[1]) == len - k && !memcmp(f[1], in + k, len - k), "second of two changed");
	return 0;
}
