/* SPDX-License-Identifier: MIT */
/*
 * fuzz_json.c - the JSON string escaper on any bytes.  A strict decoder of
 * JSON string bodies written here (RFC 8259: no raw controls, quote or
 * backslash; only the nine escapes; \u surrogates paired; raw bytes
 * well-formed UTF-8) must accept the output and give back the input, with
 * each byte that begins no well-formed UTF-8 sequence as U+FFFD.  With a
 * short cap, only whole escape units are written, nothing past cap, and
 * what was written is a valid body itself.
 */
#include "fuzz.h"
#include "text/text.h"

#define MAXIN 4096

static uint8_t out[6 * MAXIN + 64], cut[6 * MAXIN + 64], dec[4 * MAXIN], want[3 * MAXIN];

/* Length of the well-formed UTF-8 sequence at s (n bytes), 0 if none: Unicode table 3-7. */
static size_t ref_utf8(const uint8_t *s, size_t n)
{
	uint8_t c = s[0];
	size_t k;
	uint32_t cp, min;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		k = 2, cp = c & 0x1f, min = 0x80;
	else if ((c & 0xf0) == 0xe0)
		k = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		k = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < k)
		return 0;
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

static size_t put_utf8(uint8_t *o, uint32_t cp)
{
	if (cp < 0x80)
		return o[0] = (uint8_t)cp, 1;
	if (cp < 0x800)
		return o[0] = (uint8_t)(0xc0 | cp >> 6), o[1] = (uint8_t)(0x80 | (cp & 0x3f)), 2;
	if (cp < 0x10000) {
		o[0] = (uint8_t)(0xe0 | cp >> 12);
		o[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (uint8_t)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (uint8_t)(0xf0 | cp >> 18);
	o[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
	o[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
	o[3] = (uint8_t)(0x80 | (cp & 0x3f));
	return 4;
}

static int hex4(const uint8_t *s, size_t n, uint32_t *v)
{
	*v = 0;
	if (n < 4)
		return 0;
	for (int i = 0; i < 4; i++) {
		uint8_t c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return 0;
		*v = *v << 4 | (uint32_t)d;
	}
	return 1;
}

/* Decodes a JSON string body strictly into d; returns its length or -1 where it is invalid. */
static long decode(const uint8_t *s, size_t n, uint8_t *d)
{
	size_t i = 0, o = 0, k;
	uint32_t cp, lo;
	while (i < n) {
		uint8_t c = s[i];
		if (c < 0x20 || c == '"')
			return -1;
		if (c != '\\') {
			if (!(k = ref_utf8(s + i, n - i)))
				return -1;
			memcpy(d + o, s + i, k);
			o += k, i += k;
			continue;
		}
		if (i + 1 >= n)
			return -1;
		const char *e = strchr("\"\\/bfnrt", s[i + 1]);
		if (e && s[i + 1]) {
			d[o++] = (uint8_t) "\"\\/\b\f\n\r\t"[e - "\"\\/bfnrt"];
			i += 2;
			continue;
		}
		if (s[i + 1] != 'u' || !hex4(s + i + 2, n - i - 2, &cp))
			return -1;
		i += 6;
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return -1;
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (i + 6 > n || s[i] != '\\' || s[i + 1] != 'u' ||
			    !hex4(s + i + 2, 4, &lo) || lo < 0xdc00 || lo > 0xdfff)
				return -1;
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			i += 6;
		}
		o += put_utf8(d + o, cp);
	}
	return (long)o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2 || size > MAXIN + 2)
		return 0;
	size_t capsel = (size_t)data[0] << 8 | data[1];
	const uint8_t *in = data + 2;
	size_t len = size - 2, wl = 0;
	for (size_t i = 0, k; i < len; i += k) {
		if ((k = ref_utf8(in + i, len - i)))
			memcpy(want + wl, in + i, k), wl += k;
		else
			memcpy(want + wl, "\xef\xbf\xbd", 3), wl += 3, k = 1;
	}
	size_t full = join_json_escape((char *)out, sizeof out, (const char *)in, len);
	CHECK(full <= sizeof out, "%zu bytes", full);
	long d = decode(out, full, dec);
	CHECK(d >= 0, "escaped output is no JSON string body: \"%.*s\"", (int)full, out);
	CHECK((size_t)d == wl && !memcmp(dec, want, wl), "decodes to something else");
	/* cut short: JSON escapes never produce a raw NUL, so the first NUL is the end */
	size_t cap = full ? capsel % (full + 1) : 0;
	memset(cut, 0, sizeof cut);
	CHECK(join_json_escape((char *)cut, cap, (const char *)in, len) == full,
	      "length depends on cap");
	size_t k = strnlen((const char *)cut, sizeof cut);
	CHECK(k <= cap, "wrote %zu bytes into cap %zu", k, cap);
	CHECK(!memcmp(cut, out, k), "the cut is not the whole output's start");
	CHECK(k == full || cap - k < 6, "cap %zu but only %zu written", cap, k);
	CHECK(decode(cut, k, dec) >= 0, "the cut is no JSON string body");
	return 0;
}
