/* SPDX-License-Identifier: MIT */
/* quote.c - Plan 9 %q quoting: quote a field that is empty, holds a blank or control byte, or a
 * quote. */
#include <string.h>

#include "text/text.h"

/* Bytes >= 0x80 are not quote-worthy: Plan 9 compares runes with ' ', and
 * every non-ASCII rune is above it. */
static int quote_worthy(unsigned char c)
{
	return c <= ' ' || c == '\'';
}

int join_needs_quote(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 1;
	for (i = 0; i < len; i++)
		if (quote_worthy((unsigned char)s[i]))
			return 1;
	return 0;
}

size_t join_quote(char *out, size_t cap, const char *s, size_t len)
{
	size_t i, o = 0;

	if (!join_needs_quote(s, len)) {
		memcpy(out, s, len < cap ? len : cap);
		return len;
	}
	/* Write what fits byte by byte; the return value still counts the whole. */
	if (o < cap)
		out[o] = '\'';
	o++;
	for (i = 0; i < len; i++) {
		if (s[i] == '\'') {
			if (o < cap)
				out[o] = '\'';
			o++;
		}
		if (o < cap)
			out[o] = s[i];
		o++;
	}
	if (o < cap)
		out[o] = '\'';
	return o + 1;
}
