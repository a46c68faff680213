/* SPDX-License-Identifier: MIT */
/*
 * fuzz_parse.c - the await-text parser join_parse_await on any bytes.
 * It accepts exactly the texts the reference says are five fields with four
 * decimal numbers (pid <= INT_MAX, times fit an unsigned long), returns
 * their values and the fifth field unquoted, and what it accepts formats
 * back (join_fmt_await_msg) to a text that parses to the same message.
 */
#include "fuzz.h"
#include "text/text.h"
#include <errno.h>
#include <limits.h>

int join_fmt_await_msg(char *s, int n, pid_t pid, const unsigned long ms[3], const char *msg,
                       size_t mlen);

static struct ref_field ref[6];

/* Digits only, at least one, value <= max. */
static int ref_number(const struct ref_field *f, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;
	if (f->len == 0 || f->len > REF_FLEN)
		return 0;
	for (size_t i = 0; i < f->len; i++) {
		if (f->s[i] < '0' || f->s[i] > '9')
			return 0;
		if (__builtin_mul_overflow(x, 10, &x) ||
		    __builtin_add_overflow(x, f->s[i] - '0', &x))
			return 0;
	}
	*v = x;
	return x <= max;
}

static void roundtrip(const JoinWaitmsg *w)
{
	static char buf[3 * REF_FLEN];
	size_t mlen = strlen(w->msg);
	int n = join_fmt_await_msg(buf, sizeof buf, w->pid, w->time, w->msg, mlen);
	CHECK(n > 0 && (size_t)n < sizeof buf, "formatted length %d", n);
	JoinWaitmsg *v = join_parse_await(buf, (size_t)n);
	CHECK(v != NULL, "its own record \"%.*s\" does not parse", n, buf);
	CHECK(v->pid == w->pid && !memcmp(v->time, w->time, sizeof v->time),
	      "numbers changed in \"%.*s\"", n, buf);
	CHECK(!strcmp(v->msg, w->msg), "message \"%s\" came back as \"%s\"", w->msg, v->msg);
	free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > REF_FLEN)
		return 0;
	char *s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = 0;
	int open;
	unsigned long pid, t[3];
	int want = ref_tokenize(s, ref, 6, &open) == 5 && ref_number(&ref[0], INT_MAX, &pid) &&
	           ref_number(&ref[1], ULONG_MAX, &t[0]) && ref_number(&ref[2], ULONG_MAX, &t[1]) &&
	           ref_number(&ref[3], ULONG_MAX, &t[2]);
	errno = 0;
	JoinWaitmsg *w = join_parse_await((const char *)data, size);
	CHECK(!w == !want, "parser says %s, reference says %s: \"%s\"", w ? "yes" : "no",
	      want ? "yes" : "no", s);
	if (!w) {
		CHECK(errno == EINVAL, "errno %d, not EINVAL", errno);
		free(s);
		return 0;
	}
	CHECK((unsigned long)w->pid == pid, "pid %d, reference %lu", w->pid, pid);
	for (int i = 0; i < 3; i++)
		CHECK(w->time[i] == t[i], "time %d is %lu, reference %lu", i, w->time[i], t[i]);
	CHECK(strlen(w->msg) == ref[4].len && !memcmp(w->msg, ref[4].s, ref[4].len),
	      "message \"%s\", reference \"%.*s\"", w->msg, (int)ref[4].len, ref[4].s);
	roundtrip(w);
	free(w);
	free(s);
	return 0;
}
