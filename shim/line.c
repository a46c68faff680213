/* line.c - the engine's text builder (line.h). */
#include "line.h"
#include "log.h"
#include "num.h"
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

static void cat(struct join_line *l, const char *s, va_list ap)
{
	for (; s; s = va_arg(ap, const char *))
		join_line_str(l, s);
}

void join_line_cat(struct join_line *l, ...)
{
	va_list ap;
	va_start(ap, l);
	cat(l, va_arg(ap, const char *), ap);
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

/* A path in a diagnostic may be PATH_MAX long: room for it and the words. */
void join_diag(const char *first, ...)
{
	char buf[4096 + 256];
	struct join_line l = JOIN_LINE(buf);
	va_list ap;
	join_line_str(&l, JOIN_DIAG);
	va_start(ap, first);
	cat(&l, first, ap);
	va_end(ap);
	if (l.len >= l.cap) /* cut: it still ends its line */
		l.len = l.cap - 1;
	join_line_put(&l, "\n", 1);
	join_log_warn(buf, l.len);
}
