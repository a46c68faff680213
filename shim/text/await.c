/* SPDX-License-Identifier: MIT */
/*
 * await.c - the await record "%d %lu %lu %lu %q" of a reaped child, with
 * Plan 9's "truncated but, if possible, properly formatted" cut, or
 * plan9port's raw one.
 */
#include <string.h>
#include <sys/wait.h>

#include "base/num.h"
#include "text/text.h"

/* v/unit rounded to nearest, half up, without overflowing near UINT64_MAX. */
static uint64_t round_div(uint64_t v, uint64_t unit)
{
	return v / unit + (v % unit + unit / 2) / unit;
}

void join_rec_ms(const struct join_rec *r, int style, unsigned long ms[3])
{
	ms[0] = (unsigned long)round_div(r->user_us, 1000);
	ms[1] = (unsigned long)round_div(r->sys_us, 1000);
	if (style == JOIN_STYLE_P9P) /* plan9port reports u+s as the real time */
		ms[2] = ms[0] + ms[1];
	else if (r->has_fork && r->has_exit && r->exit_ns >= r->fork_ns)
		ms[2] = (unsigned long)round_div(r->exit_ns - r->fork_ns, 1000000);
	else
		ms[2] = 0;
}

/*
 * Writes s (len bytes) as %q into at most room bytes, the way Plan 9's
 * snprint does it when the buffer runs short (__quotesetup in fmtquote.c):
 * take input runes while they fit; the first rune that needs quotes also
 * needs room for both quotes, and a quote needs room for its double.  If
 * it does not fit, the field ends before it, unquoted, as nothing taken so
 * far needed quotes.  So the quotes always balance, a doubled '' is never
 * split, and tokenize yields a prefix of s.  An empty s is '' or nothing.
 * Well-formed UTF-8 sequences are kept whole (Plan 9 works in runes); any
 * other byte counts alone.
 *
 * With the 12-byte prefix "1234 0 0 10 " and room = n-1-12: n=20 leaves 7,
 * "8.out" takes 5 and the blank would need 1+2 more, so `8.out`; n=21
 * leaves 8 for `'8.out '`; n=22 leaves 9 for `'8.out 1'`; an empty string
 * needs 2, so n=14 (1 left) gives nothing and n=15 gives ''.
 */
static size_t quote_fit(char *out, size_t room, const char *s, size_t len)
{
	size_t in = 0, need = 0, w, i, o;
	int quoted = 0;
	unsigned char c;

	if (len == 0) {
		if (room < 2)
			return 0;
		out[0] = out[1] = '\'';
		return 2;
	}
	while (in < len) {
		w = join_utf8_len(s + in, len - in);
		if (w == 0)
			w = 1;
		c = (unsigned char)s[in];
		if (need + w > room)
			break;
		if (c <= ' ' || c == '\'') {
			if (!quoted) {
				if (need + w + 2 > room)
					break;
				need += 2;
				quoted = 1;
			}
			if (c == '\'') {
				if (need + w + 1 > room)
					break;
				need++;
			}
		}
		in += w;
		need += w;
	}
	if (!quoted) {
		memcpy(out, s, in);
		return in;
	}
	o = 0;
	out[o++] = '\'';
	for (i = 0; i < in; i++) {
		if (s[i] == '\'')
			out[o++] = '\'';
		out[o++] = s[i];
	}
	out[o++] = '\'';
	return o;
}

/* "pid user sys real " into buf; returns its length (at most 4 numbers of 20 and 4 blanks). */
static size_t prefix(char *buf, pid_t pid, const unsigned long ms[3])
{
	size_t n, i;

	n = join_itoa(buf, pid);
	for (i = 0; i < 3; i++) {
		buf[n++] = ' ';
		n += join_utoa(buf + n, ms[i]);
	}
	buf[n++] = ' ';
	return n;
}

/*
 * The Plan 9 record of given fields, for join_fmt_await and the unit tests
 * (whose truncation vectors have exit strings that no wait status produces).
 * n counts room for a NUL that is never written, as Plan 9's kernel formats
 * the record with snprint(s, n, ...): at most n-1 bytes.  The design's
 * vectors need exactly this (n=15 is the first to hold '').  Numbers are
 * cut bytewise, the exit string inside its quotes.
 */
int join_fmt_await_msg(char *s, int n, pid_t pid, const unsigned long ms[3], const char *msg,
                       size_t mlen)
{
	char buf[4 * JOIN_NUM_MAX + 4];
	size_t room, len;

	if (n <= 0)
		return -1;
	room = (size_t)n - 1;
	len = prefix(buf, pid, ms);
	if (len >= room) {
		memcpy(s, buf, room);
		return (int)room;
	}
	memcpy(s, buf, len);
	return (int)(len + quote_fit(s + len, room - len, msg, mlen));
}

/*
 * plan9port: snprint into char buf[128], then strecpy(str, str+n, buf),
 * which keeps at most n-1 bytes: a raw cut that may split a number or
 * leave a quote open.  Its message is '' for exit 0, the bare code, or the
 * signal text in quotes (written literally; nothing in it needs doubling).
 */
static int fmt_p9p(char *s, int n, const struct join_rec *r, const unsigned long ms[3],
                   const char *msg, size_t mlen)
{
	char buf[4 * JOIN_NUM_MAX + 4 + 2 * 128];
	size_t len = prefix(buf, r->pid, ms);

	if (mlen == 0) {
		memcpy(buf + len, "''", 2);
		len += 2;
	} else if (WIFSIGNALED(r->status)) {
		buf[len++] = '\'';
		memcpy(buf + len, msg, mlen);
		len += mlen;
		buf[len++] = '\'';
	} else {
		len += join_quote(buf + len, sizeof buf - len, msg, mlen);
	}
	if (len > 127)
		len = 127;
	if (len > (size_t)n - 1)
		len = (size_t)n - 1;
	memcpy(s, buf, len);
	return (int)len;
}

int join_fmt_await(char *s, int n, const struct join_rec *r, int style)
{
	char msg[128], comm[JOIN_COMM_MAX + 1];
	unsigned long ms[3];
	size_t mlen;

	if (n <= 0)
		return -1;
	/* r->comm need not be NUL-terminated when it is full. */
	memcpy(comm, r->comm, JOIN_COMM_MAX);
	comm[JOIN_COMM_MAX] = '\0';
	join_rec_ms(r, style, ms);
	mlen = join_exitstr(msg, style, r->pid, comm, r->status);
	if (style == JOIN_STYLE_P9P)
		return fmt_p9p(s, n, r, ms, msg, mlen);
	return join_fmt_await_msg(s, n, r->pid, ms, msg, mlen);
}
