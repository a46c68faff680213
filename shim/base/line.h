/* SPDX-License-Identifier: MIT */
/*
 * line.h - the one way the engine builds a line of text: pieces appended to a
 * caller's buffer, async-signal-safe (no stdio, no malloc, no locale).  What
 * does not fit is not written, but len keeps counting, so the caller decides:
 * drop a line that did not fit (join_line_fits), or keep its cut (join_line_len).
 */
#ifndef JOIN_LINE_H
#define JOIN_LINE_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Every diagnostic of the library starts so, in every log format's text form. */
#define JOIN_DIAG "# libjoin: "

struct join_line {
	char *buf;
	size_t cap, len;
};
#define JOIN_LINE(array) ((struct join_line){(array), sizeof(array), 0})

void join_line_put(struct join_line *l, const char *s, size_t n);
void join_line_str(struct join_line *l, const char *s);
/* The strings given, up to a NULL: join_line_cat(&l, "a", b, "\n", NULL). */
void join_line_cat(struct join_line *l, ...) __attribute__((sentinel));
/* The same, from first on. */
void join_line_vcat(struct join_line *l, const char *first, va_list ap);
void join_line_u64(struct join_line *l, uint64_t v);
void join_line_i64(struct join_line *l, int64_t v);

static inline int join_line_fits(const struct join_line *l)
{
	return l->len <= l->cap;
}
/* The bytes written: the whole line, or its cut at cap. */
static inline size_t join_line_len(const struct join_line *l)
{
	return l->len < l->cap ? l->len : l->cap;
}
/* Ends the text with a NUL (in the last byte if it is full); its length. */
size_t join_line_nul(struct join_line *l);
#endif
