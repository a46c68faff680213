/* SPDX-License-Identifier: MIT */
/* tracectx.c - TRACEPARENT and the derived span ids (tracectx.h). */
#include "trace/tracectx.h"

/* SplitMix64's finaliser: every input bit moves every output bit. */
static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t load_be(const uint8_t *b)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

uint64_t join_span_of(const uint8_t trace[16], uint64_t parent, uint64_t fork_ns)
{
	uint64_t h = mix(load_be(trace) ^ mix(load_be(trace + 8) ^ mix(parent ^ mix(fork_ns))));
	return h ? h : 1; /* all zeros is no span id */
}

/* A digit's value plus one, 0 for anything but a lowercase hex digit: a table, as
 * this runs at the exec of every process of a propagating tree. */
#define D(c, v) [c] = v + 1
static const uint8_t nibble[256] = {
    D('0', 0), D('1', 1), D('2', 2),  D('3', 3),  D('4', 4),  D('5', 5),  D('6', 6),  D('7', 7),
    D('8', 8), D('9', 9), D('a', 10), D('b', 11), D('c', 12), D('d', 13), D('e', 14), D('f', 15),
};
#undef D

/* n bytes from 2n lowercase hex digits; -1 at any other character (a NUL too:
 * nothing past the end of s is read). */
static int unhex(uint8_t *out, const char *s, int n)
{
	for (int i = 0; i < n; i++) {
		unsigned hi = nibble[(uint8_t)s[2 * i]], lo;
		if (!hi || !(lo = nibble[(uint8_t)s[2 * i + 1]]))
			return -1;
		out[i] = (uint8_t)((hi - 1) << 4 | (lo - 1));
	}
	return 0;
}

static int all_zero(const uint8_t *b, int n)
{
	int z = 1;
	for (int i = 0; i < n; i++)
		z &= b[i] == 0;
	return z;
}

/* W3C trace-context level 1: version 00 is exactly 55 bytes; a later version may
 * carry more after a '-'; version ff and all-zero ids are invalid. */
int join_traceparent_parse(const char *s, struct join_tracectx *c)
{
	uint8_t ver, span[8];
	/* field by field, each stopping at a NUL: the length is known after them */
	if (unhex(&ver, s, 1) < 0 || ver == 0xff || s[2] != '-' || unhex(c->trace, s + 3, 16) < 0 ||
	    s[35] != '-' || unhex(span, s + 36, 8) < 0 || s[52] != '-' ||
	    unhex(&c->flags, s + 53, 1) < 0)
		return -1;
	char end = s[JOIN_TRACEPARENT_LEN];
	if (end && (ver == 0 || end != '-')) /* 00 is exactly 55 bytes */
		return -1;
	if (all_zero(c->trace, 16) || all_zero(span, 8))
		return -1;
	c->span = load_be(span);
	return 0;
}

void join_hex(char *out, const uint8_t *b, int n)
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
}

void join_traceparent_format(char out[JOIN_TRACEPARENT_LEN + 1], const struct join_tracectx *c)
{
	uint8_t span[8];
	for (int i = 0; i < 8; i++)
		span[i] = (uint8_t)(c->span >> (56 - 8 * i));
	out[0] = out[1] = '0';
	out[2] = out[35] = out[52] = '-';
	join_hex(out + 3, c->trace, 16);
	join_hex(out + 36, span, 8);
	join_hex(out + 53, &c->flags, 1);
	out[JOIN_TRACEPARENT_LEN] = 0;
}
