/* SPDX-License-Identifier: MIT */
/* num.c - decimal numbers written and read, and UTF-8 sequence lengths, without
 * libc's stdio or locale. */
#include "base/num.h"
#include <limits.h>

size_t join_utoa(char *out, uint64_t v)
{
	char rev[JOIN_NUM_MAX];
	size_t n = 0, i;

	do {
		rev[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	for (i = 0; i < n; i++)
		out[i] = rev[n - 1 - i];
	out[n] = '\0';
	return n;
}

size_t join_itoa(char *out, int64_t v)
{
	/* Negate in unsigned arithmetic so that INT64_MIN does not overflow. */
	if (v < 0) {
		out[0] = '-';
		return 1 + join_utoa(out + 1, -(uint64_t)v);
	}
	return join_utoa(out, (uint64_t)v);
}

size_t join_utf8_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len, i;
	uint32_t c;

	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
	} else {
		return 0; /* continuation byte, overlong lead 0xc0/0xc1, or 0xf5.. */
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

long join_strtol(const char *s, char **end)
{
	const char *p = s;
	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	int neg = *p == '-';
	if (*p == '-' || *p == '+')
		p++;
	if (*p < '0' || *p > '9') {
		*end = (char *)s;
		return 0;
	}
	unsigned long v = 0, cap = neg ? (unsigned long)LONG_MAX + 1 : LONG_MAX;
	for (; *p >= '0' && *p <= '9'; p++)
		v = v > (cap - (unsigned long)(*p - '0')) / 10 ? cap
		                                               : v * 10 + (unsigned long)(*p - '0');
	*end = (char *)p;
	return neg ? (long)(0 - v) : (long)v;
}
