/* SPDX-License-Identifier: MIT */
/* tokenize.c - Plan 9's tokenize (plan9port src/lib9/tokenize.c): blank-separated, quoted fields.
 */
#include "base/api.h"
#include "join.h"

static int blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Unquotes the field at s in place: outside quotes a blank ends it; '...'
 * quotes blanks, and '' inside quotes is one quote.  An unclosed quote runs
 * to the end.  Returns where the scan for the next field resumes.
 */
static char *field(char *s)
{
	char *t = s; /* t reads, s writes; s never passes t */
	int quoting = 0;

	while (*t != '\0' && (quoting || !blank(*t))) {
		if (*t != '\'') {
			*s++ = *t++;
		} else if (!quoting) {
			quoting = 1;
			t++;
		} else if (t[1] != '\'') {
			quoting = 0;
			t++;
		} else {
			t++;
			*s++ = *t++;
		}
	}
	/* Terminate the field; if nothing was folded, that NUL overwrote the blank at t. */
	if (*s != '\0') {
		*s = '\0';
		if (t == s)
			t++;
	}
	return t;
}

JOIN_API int join_tokenize(char *s, char **args, int maxargs)
{
	int nargs;

	for (nargs = 0; nargs < maxargs; nargs++) {
		while (*s != '\0' && blank(*s))
			s++;
		if (*s == '\0')
			break;
		args[nargs] = s;
		s = field(s);
	}
	return nargs;
}
