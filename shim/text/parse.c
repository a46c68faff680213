/* SPDX-License-Identifier: MIT */
/* parse.c - an await record back into a JoinWaitmsg, as Plan 9's wait() parses it. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

/* Strict unsigned decimal: digits only, at least one, no overflow past max. */
static int decimal(const char *s, unsigned long max, unsigned long *v)
{
	unsigned long x = 0;
	unsigned d;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned)(*s - '0');
		if (x > (max - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 0;
}

/*
 * One allocation: the JoinWaitmsg, then a copy of the text that is
 * tokenized in place, its fifth field finally moved to the front of that
 * tail as msg.  The text ends at len or at a NUL, whichever comes first.
 * Exactly five fields; a sixth is an error (Plan 9 would ignore it).
 */
JoinWaitmsg *join_parse_await(const char *s, size_t len)
{
	JoinWaitmsg *w;
	char *text, *f[6];
	unsigned long pid, t[3];
	size_t mlen;
	int i;

	if (s == NULL || len > SIZE_MAX - sizeof *w - 1) {
		errno = EINVAL;
		return NULL;
	}
	len = strnlen(s, len);
	w = malloc(sizeof *w + len + 1);
	if (w == NULL)
		return NULL; /* errno ENOMEM from malloc */
	text = (char *)(w + 1);
	memcpy(text, s, len);
	text[len] = '\0';
	if (join_tokenize(text, f, 6) != 5 || decimal(f[0], INT_MAX, &pid) != 0)
		goto bad;
	for (i = 0; i < 3; i++)
		if (decimal(f[i + 1], ULONG_MAX, &t[i]) != 0)
			goto bad;
	w->pid = (int)pid;
	for (i = 0; i < 3; i++)
		w->time[i] = t[i];
	mlen = strlen(f[4]);
	memmove(text, f[4], mlen + 1);
	w->msg = text;
	return w;
bad:
	free(w);
	errno = EINVAL;
	return NULL;
}
