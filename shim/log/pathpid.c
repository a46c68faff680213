/* SPDX-License-Identifier: MIT */
/* pathpid.c - a log path's %p: the writer's pid (pathpid.h). */
#include "log/pathpid.h"

/* Appends s to out at *n; 0 if it does not fit (a NUL must still). */
static int put(char *out, size_t cap, size_t *n, const char *s, size_t len)
{
	if (*n + len >= cap)
		return 0;
	for (size_t i = 0; i < len; i++)
		out[(*n)++] = s[i];
	return 1;
}

static int special(char c)
{
	return c == '*' || c == '?' || c == '[' || c == ']' || c == '\\';
}

int join_path_pid(char *out, size_t cap, const char *in, const char *rep, int glob)
{
	size_t n = 0, rlen = 0;
	while (rep[rlen])
		rlen++;
	for (; *in; in++) {
		int ok;
		if (in[0] == '%' && in[1] == 'p')
			ok = put(out, cap, &n, rep, rlen), in++;
		else if (in[0] == '%' && in[1] == '%')
			ok = put(out, cap, &n, "%", 1), in++;
		else if (glob && special(*in))
			ok = put(out, cap, &n, "\\", 1) && put(out, cap, &n, in, 1);
		else
			ok = put(out, cap, &n, in, 1);
		if (!ok)
			return -1;
	}
	if (cap == 0)
		return -1;
	out[n] = 0;
	return (int)n;
}
