/* SPDX-License-Identifier: MIT */
/*
 * fuzz.h - what every libFuzzer target of libjoin's text code shares: a
 * CHECK that reports the broken property and aborts (so libFuzzer keeps
 * the input), and a reference tokenizer written independently of
 * shim/text/tokenize.c, to compare against.
 */
#ifndef JOIN_FUZZ_H
#define JOIN_FUZZ_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "property broken at %s:%d: %s: ", __FILE__, __LINE__,      \
			        #cond);                                                            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#define REF_MAXF 16
#define REF_FLEN 8192

/* A field as the reference tokenizer unquotes it. */
struct ref_field {
	char s[REF_FLEN];
	size_t len;
};

static inline int ref_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Plan 9's tokenize restated: fields split by runs of blanks; '...' quotes,
 * '' inside quotes is one quote, a quote outside quotes opens quoting even
 * mid-field, an unclosed quote runs to the end.  *open says whether the
 * text ended inside quotes.  Returns the field count (at most max).
 */
static inline int ref_tokenize(const char *s, struct ref_field *f, int max, int *open)
{
	int n = 0, q = 0;
	size_t i = 0;
	*open = 0;
	while (n < max) {
		while (s[i] && ref_blank(s[i]))
			i++;
		if (!s[i])
			break;
		f[n].len = 0;
		q = 0;
		while (s[i] && (q || !ref_blank(s[i]))) {
			char c = s[i];
			if (c == '\'' && !q) {
				q = 1;
				i++;
				continue;
			}
			if (c == '\'' && s[i + 1] == '\'') {
				i += 2;
			} else if (c == '\'') {
				q = 0;
				i++;
				continue;
			} else {
				i++;
			}
			if (f[n].len < REF_FLEN)
				f[n].s[f[n].len] = c;
			f[n].len++;
		}
		if (q)
			*open = 1;
		n++;
	}
	return n;
}

/* Is p a prefix of s? */
static inline int is_prefix(const char *p, size_t plen, const char *s, size_t slen)
{
	return plen <= slen && memcmp(p, s, plen) == 0;
}
#endif
