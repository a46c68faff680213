/* SPDX-License-Identifier: MIT */
/*
 * warned.c - a bad JOIN_* value is warned about once for the tree, not by every
 * process: the process that warns names the variable in JOIN_WARNED (set by the
 * constructor, before main, as JOIN_RING is), which its descendants inherit and
 * which stops their warning about it.  Async-signal-safe: the engine may start
 * in a handler.
 */
#include "log/warned.h"
#include "base/config.h"
#include "base/line.h"
#include <string.h>

static char names[160]; /* "WATCH,FORMAT": JOIN_WARNED as it is to be */
static int grown;       /* names holds a variable that JOIN_WARNED does not */

/* Is the name (n bytes) in the comma list? */
static int listed(const char *list, const char *name, size_t n)
{
	for (const char *s = list; s && *s;) {
		const char *c = strchr(s, ',');
		size_t k = c ? (size_t)(c - s) : strlen(s);
		if (k == n && !memcmp(s, name, n))
			return 1;
		s = c ? c + 1 : NULL;
	}
	return 0;
}

static void add(const char *name, size_t n)
{
	size_t len = strlen(names);
	if (listed(names, name, n) || len + n + 2 > sizeof names)
		return;
	if (len)
		names[len++] = ',';
	memcpy(names + len, name, n);
	names[len + n] = 0;
	grown = 1;
}

/* The name of the variable a warning line is about ("WATCH"), or 0 bytes. */
static size_t about(const char *line, size_t n, const char **name)
{
	static const char pre[] = JOIN_DIAG "JOIN_";
	size_t p = sizeof pre - 1, k = 0;
	if (n < p || memcmp(line, pre, p))
		return 0;
	while (p + k < n && line[p + k] != '=')
		k++;
	*name = line + p;
	return p + k < n ? k : 0;
}

size_t join_warned_filter(char *warn, size_t len, char **envp)
{
	const char *list = NULL;
	for (char **e = envp; e && *e; e++)
		if (!strncmp(*e, "JOIN_WARNED=", 12))
			list = *e + 12;
	if (list && strlen(list) < sizeof names)
		memcpy(names, list, strlen(list) + 1);
	size_t out = 0;
	for (size_t at = 0; at < len;) {
		const char *nl = memchr(warn + at, '\n', len - at), *name;
		size_t k = nl ? (size_t)(nl - (warn + at)) + 1 : len - at;
		size_t n = about(warn + at, k, &name);
		if (!n || !listed(list, name, n)) {
			if (n)
				add(name, n);
			memmove(warn + out, warn + at, k);
			out += k;
		}
		at += k;
	}
	if (out < len)
		warn[out] = 0;
	return out;
}

const char *join_warned_update(void)
{
	return grown ? names : NULL;
}
