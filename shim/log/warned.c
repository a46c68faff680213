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

size_t join_warned_filter(struct join_config_warning *w, size_t n, char **envp)
{
	const char *list = NULL;
	for (char **e = envp; e && *e; e++)
		if (!strncmp(*e, "JOIN_WARNED=", 12))
			list = *e + 12;
	if (list && strlen(list) < sizeof names)
		memcpy(names, list, strlen(list) + 1);
	size_t out = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = w[i].var + 5; /* "JOIN_WATCH": "WATCH" */
		size_t k = strlen(name);
		if (listed(list, name, k))
			continue;
		add(name, k);
		w[out++] = w[i];
	}
	return out;
}

const char *join_warned_update(void)
{
	return grown ? names : NULL;
}
