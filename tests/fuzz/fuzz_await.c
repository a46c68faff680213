/* SPDX-License-Identifier: MIT */
/*
 * fuzz_await.c - the await formatter with truncation at every n.  A record
 * (any pid, status, times and comm bytes) or a bare message of any bytes is
 * formatted whole, then with n = 1 .. whole+2.  Each cut must be: at most
 * n-1 bytes, the whole record's first bytes for the numbers, quotes
 * balanced, at most five fields when tokenized, each field equal to the
 * whole record's field except the last, which is a prefix of it.  The whole
 * record parses back (join_parse_await) to its pid, times and message.
 */
#include "fuzz.h"
#include "base/num.h"
#include "text/text.h"
#include <limits.h>

int join_fmt_await_msg(char *s, int n, pid_t pid, const unsigned long ms[3], const char *msg,
                       size_t mlen);

#define CAP 1024
static struct ref_field whole_f[REF_MAXF], cut_f[REF_MAXF];

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, size_t k)
{
	uint64_t v = 0;
	for (size_t i = 0; i < k && in->n; i++, in->p++, in->n--)
		v = v << 8 | *in->p;
	return v;
}

/* The bytes the formatter sees as comm: up to the first NUL, at most 16. */
static void rec_from(struct input *in, struct join_rec *r)
{
	memset(r, 0, sizeof *r);
	r->pid = (pid_t)take(in, 4);
	r->status = (int)take(in, 2);
	r->user_us = take(in, 8);
	r->sys_us = take(in, 8);
	r->fork_ns = take(in, 8);
	r->exit_ns = take(in, 8);
	uint64_t f = take(in, 1);
	r->has_fork = f & 1;
	r->has_exit = f >> 1 & 1;
	size_t k = in->n < JOIN_COMM_MAX ? in->n : JOIN_COMM_MAX;
	memcpy(r->comm, in->p, k);
}

/* The record whole, and its cuts. */
static int fmt(char *out, int n, int mode, const struct join_rec *r, const unsigned long ms[3],
               const char *msg, size_t mlen, int style)
{
	if (mode)
		return join_fmt_await_msg(out, n, r->pid, ms, msg, mlen);
	return join_fmt_await(out, n, r, style);
}

static void check_cut(const char *whole, int wlen, int wn, const char *cut, int len, int n)
{
	int open;
	char s[CAP + 1];
	CHECK(len >= 0 && len <= n - 1, "n=%d gave %d bytes", n, len);
	if (n - 1 >= wlen) {
		CHECK(len == wlen && !memcmp(cut, whole, (size_t)len), "n=%d: not the whole record",
		      n);
		return;
	}
	memcpy(s, cut, (size_t)len);
	s[len] = 0;
	CHECK(strlen(s) == (size_t)len, "n=%d: a NUL in the record", n);
	int k = ref_tokenize(s, cut_f, REF_MAXF, &open);
	CHECK(!open, "n=%d: quotes unbalanced in \"%s\"", n, s);
	CHECK(k <= 5 && k <= wn, "n=%d: %d fields in \"%s\"", n, k, s);
	for (int i = 0; i < k; i++) {
		if (i < k - 1)
			CHECK(cut_f[i].len == whole_f[i].len &&
			          !memcmp(cut_f[i].s, whole_f[i].s, cut_f[i].len),
			      "n=%d: field %d of \"%s\" changed", n, i, s);
		else
			CHECK(is_prefix(cut_f[i].s, cut_f[i].len, whole_f[i].s, whole_f[i].len),
			      "n=%d: last field of \"%s\" is not a prefix of \"%.*s\"", n, s,
			      (int)whole_f[i].len, whole_f[i].s);
	}
}

static void check_parse(const char *whole, int wlen, pid_t pid, const unsigned long ms[3],
                        const struct ref_field *msg)
{
	JoinWaitmsg *w = join_parse_await(whole, (size_t)wlen);
	if (pid < 0) { /* "-5" is no decimal: the parser must refuse it */
		CHECK(w == NULL, "negative pid parsed in \"%.*s\"", wlen, whole);
		return;
	}
	CHECK(w != NULL, "\"%.*s\" does not parse", wlen, whole);
	CHECK(w->pid == pid && !memcmp(w->time, ms, sizeof w->time), "numbers differ");
	CHECK(strlen(w->msg) == msg->len && !memcmp(w->msg, msg->s, msg->len), "message differs");
	free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct join_rec r;
	char whole[CAP], cut[CAP + 8], msg[256];
	unsigned long ms[3];
	size_t mlen = 0;
	int mode = (int)(take(&in, 1) & 3), style = mode & 2 ? JOIN_STYLE_P9P : JOIN_STYLE_PLAN9;
	mode &= 1;
	rec_from(&in, &r);
	join_rec_ms(&r, style, ms);
	if (mode) { /* a message of any bytes but NUL, as the exit string could never hold */
		for (size_t i = 0; i < in.n && mlen < sizeof msg; i++)
			if (in.p[i])
				msg[mlen++] = (char)in.p[i];
		style = JOIN_STYLE_PLAN9;
	}
	CHECK(fmt(whole, 0, mode, &r, ms, msg, mlen, style) == -1, "n=0 is not -1");
	int wlen = fmt(whole, CAP, mode, &r, ms, msg, mlen, style);
	CHECK(wlen > 0 && wlen < CAP, "whole record of %d bytes", wlen);
	if (style == JOIN_STYLE_P9P) { /* plan9port cuts raw: only the length is promised */
		for (int n = 1; n <= wlen + 2; n++) {
			int k = fmt(cut, n, mode, &r, ms, msg, mlen, style);
			CHECK(k >= 0 && k <= n - 1 && !memcmp(cut, whole, (size_t)k), "p9p n=%d",
			      n);
		}
		return 0;
	}
	char s[CAP + 1];
	int open;
	memcpy(s, whole, (size_t)wlen);
	s[wlen] = 0;
	int wn = ref_tokenize(s, whole_f, REF_MAXF, &open);
	CHECK(wn == 5 && !open, "whole record \"%s\" has %d fields", s, wn);
	if (!mode)
		CHECK(whole_f[4].len <= 127, "exit string of %zu bytes", whole_f[4].len);
	else
		CHECK(whole_f[4].len == mlen && !memcmp(whole_f[4].s, msg, mlen),
		      "message changed");
	check_parse(whole, wlen, r.pid, ms, &whole_f[4]);
	for (int n = 1; n <= wlen + 2; n++) {
		memset(cut, 0x55, sizeof cut);
		int k = fmt(cut, n, mode, &r, ms, msg, mlen, style);
		for (int i = k < 0 ? 0 : k; i < (int)sizeof cut; i++)
			CHECK((unsigned char)cut[i] == 0x55, "n=%d: byte %d written past %d", n, i,
			      k);
		check_cut(whole, wlen, wn, cut, k, n);
	}
	return 0;
}
