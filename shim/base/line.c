/* SPDX-License-Identifier: MIT */
/* line.c - the engine's text builder (line.h). */
#include "base/line.h"
#include "base/num.h"
#include <stdarg.h>
#include <string.h>

void join_line_put(struct join_line *l, const char *s, size_t n)
{
	if (l->len < l->cap)
		memcpy(l->buf + l->len, s, n < l->cap - l->len ? n : l->cap - l->len);
	l->len += n;
}

void join_line_str(struct join_line *l, const char *s)
{
	join_line_put(l, s, strlen(s));
}

void join_line_vcat(struct join_line *l, const char *s, va_list ap)
{
	for (; s; s = va_arg(ap, const char *))
		join_line_str(l, s);
}

void join_line_cat(struct join_line *l, ...)
{
	va_list ap;
	va_start(ap, l);
	join_line_vcat(l, va_arg(ap, const char *), ap);
	va_end(ap);
}

void join_line_u64(struct join_line *l, uint64_t v)
{
	char num[JOIN_NUM_MAX];
	join_line_put(l, num, join_utoa(num, v));
}

void join_line_i64(struct join_line *l, int64_t v)
{
	char num[JOIN_NUM_MAX];
	join_line_put(l, num, join_itoa(num, v));
}

size_t join_line_nul(struct join_line *l)
{
	size_t n = join_line_len(l);
	if (!l->cap)
		return 0;
	if (n == l->cap)
		n--;
	l->buf[n] = 0;
	return n;
}
