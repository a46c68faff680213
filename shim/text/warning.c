/* SPDX-License-Identifier: MIT */
/*
 * warning.c - a "# libjoin:" diagnostic as a JSONL warning event (docs/DESIGN.md).
 * Every warning of ours reads "# libjoin: JOIN_<NAME>=<value>: <why>"; the
 * value never holds ": " (config.c shows it as "\x3a "), so the first ": "
 * after the '=' ends it.  A line in another form is text alone.
 */
#include "base/clock.h"
#include "emit.h"
#include "base/line.h"
#include <string.h>

static size_t prefix(const char *s, size_t n, const char *p)
{
	size_t k = strlen(p);
	return n >= k && !memcmp(s, p, k) ? k : 0;
}

/* "JOIN_" and upper-case letters or '_', then '=': the variable's length, or 0. */
static size_t variable(const char *s, size_t n)
{
	size_t i = prefix(s, n, "JOIN_");
	if (!i)
		return 0;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || s[i] == '_'))
		i++;
	return i < n && s[i] == '=' ? i : 0;
}

static void parse(struct join_warning *x, const char *s, size_t n)
{
	size_t k = prefix(s, n, JOIN_DIAG);
	memset(x, 0, sizeof *x);
	s += k;
	n -= k;
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	x->text = s;
	x->ntext = n;
	size_t v = variable(s, n);
	if (!v)
		return;
	x->var = s;
	x->nvar = v;
	x->value = s + v + 1;
	const char *end = x->value, *lim = s + n;
	while (end < lim && !(end[0] == ':' && end + 1 < lim && end[1] == ' '))
		end++;
	x->nvalue = (size_t)(end - x->value);
}

size_t join_warning_jsonl(char *out, size_t cap, const struct join_self *me, const char *line,
                          size_t len)
{
	struct join_warning x;
	parse(&x, line, len);
	return join_jsonl_warning(out, cap, me, join_now_ns(), &x);
}
