/* SPDX-License-Identifier: MIT */
/*
 * stepsummary.c - the comparison in GitHub's job summary ($GITHUB_STEP_SUMMARY):
 * its Markdown appended, the rows of supported changes first, within the 1 MiB
 * that GitHub shows of a step, cut at a line with a line that says what was
 * left out.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tools.h"

/* The Markdown of c with its changed rows first (a stable order otherwise). */
static char *markdown(const struct jr_set *a, const struct jr_set *b, const struct jr_cmp *c,
                      size_t *len)
{
	struct jr_cmp s = *c;
	s.row = jr_xmalloc((c->n + 1) * sizeof *s.row);
	int k = 0;
	for (int pass = 0; pass < 2; pass++) /* qsort is not stable: two passes */
		for (int i = 0; i < c->n; i++)
			if ((c->row[i].change != 0) == !pass)
				s.row[k++] = c->row[i];
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	if (f) {
		jr_compare(f, a, b, &s, 1);
		fclose(f);
	}
	free(s.row);
	return text;
}

int jr_step_summary(const char *path, const struct jr_set *a, const struct jr_set *b,
                    const struct jr_cmp *c, long limit)
{
	size_t len = 0;
	char *text = markdown(a, b, c, &len);
	struct stat st;
	long room = limit - (stat(path, &st) == 0 ? (long)st.st_size : 0);
	FILE *f = text ? fopen(path, "a") : NULL;
	if (!f) {
		fprintf(stderr, "joinrun: GITHUB_STEP_SUMMARY %s: %s\n", path, strerror(errno));
		free(text);
		return -1;
	}
	static const char cut[] = "\n*joinrun: %ld more lines left out: a job summary holds at "
	                          "most 1 MiB*\n";
	size_t keep = len;
	if ((long)len + 1 > room) { /* whole lines, and room for the line that says so */
		long max = room - (long)sizeof cut - 24;
		keep = max > 0 ? (size_t)max : 0;
		while (keep > 0 && text[keep - 1] != '\n')
			keep--;
	}
	long left = 0;
	for (size_t i = keep; i < len; i++)
		left += text[i] == '\n';
	fputc('\n', f);
	fwrite(text, 1, keep, f);
	if (keep < len)
		fprintf(f, cut, left);
	int bad = fclose(f) != 0;
	if (bad)
		fprintf(stderr, "joinrun: GITHUB_STEP_SUMMARY %s: %s\n", path, strerror(errno));
	free(text);
	return bad ? -1 : 0;
}
