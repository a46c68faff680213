/* SPDX-License-Identifier: MIT */
/* jsonstr.c - the body of a JSON string for any bytes, without stdio. */
#include <string.h>

#include "base/num.h"
#include "text/text.h"

/*
 * Escapes " and \, writes controls as \n \t \r \b \f or \u00XX, and copies
 * well-formed UTF-8 as it is.  Every byte that does not begin a well-formed
 * sequence becomes one \ufffd: comm and paths are bytes, not text, and one
 * replacement per byte keeps their length visible.  Only whole units are
 * written, so a cut output is still a valid (shorter) string body.
 */
size_t join_json_escape(char *out, size_t cap, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, o = 0, in, w;
	char esc[6] = {'\\'};
	const char *p;
	unsigned char c;

	while (i < len) {
		c = (unsigned char)s[i];
		p = esc;
		in = 1;
		w = 2;
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\t':
			esc[1] = 't';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		default:
			if (c < 0x20) {
				memcpy(esc + 1, "u00", 3);
				esc[4] = hex[c >> 4];
				esc[5] = hex[c & 15];
				w = 6;
			} else if ((in = join_utf8_len(s + i, len - i)) != 0) {
				p = s + i;
				w = in;
			} else {
				p = "\\ufffd";
				in = 1;
				w = 6;
			}
		}
		if (o + w <= cap)
			memcpy(out + o, p, w);
		else
			cap = o; /* nothing after a unit that did not fit */
		o += w;
		i += in;
	}
	return o;
}
