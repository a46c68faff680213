/* SPDX-License-Identifier: MIT */
/*
 * lost.c - a run whose log is incomplete says so, once and first: how many
 * records, which log and why (a full file system, a file-size limit, a
 * descriptor the program reused).  Never "was libjoin loaded?": it was.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tools.h"

struct jr_loss jr_lost;

void jr_lost_add(unsigned long long n, int err)
{
	if (!n)
		return;
	if (!jr_lost.n)
		jr_lost.err = err;
	jr_lost.n += n;
}

const char *jr_lost_text(char *buf, size_t cap, const struct jr_loss *l)
{
	const char *why = l->err == EFBIG   ? "File too large (the file-size limit, ulimit -f)"
	                  : l->err == ELOOP ? "a symbolic link where the log was, not followed"
	                  : l->err          ? strerror(l->err)
	                           : "the program put another file on the log's descriptor";
	snprintf(buf, cap, "the log is incomplete: %llu record%s lost, %s", l->n,
	         l->n == 1 ? "" : "s", why);
	return buf;
}

void jr_lost_print(FILE *f, const char *name, const struct jr_loss *l)
{
	char buf[256];
	if (l->n)
		fprintf(f, "joinrun: %s: %s\n", name, jr_lost_text(buf, sizeof buf, l));
}
