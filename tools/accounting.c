/* SPDX-License-Identifier: MIT */
/*
 * accounting.c - every process of the tree accounted (docs/DESIGN.md,
 * "Accounting"): the processes still running when the command exited (joinrun
 * is their subreaper, so they are its descendants), and the lines that end a
 * summary: orphans reaped, stragglers, processes libjoin could not follow.
 */
#include <stdlib.h>
#include <string.h>

#include "base/proc.h"
#include "tools.h"

/* The children of pid, from /proc (a zombie included); malloc'd, n into *n. */
static int *children(int pid, int *n)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", pid, pid);
	FILE *f = fopen(path, "r");
	int *v = NULL, cap = 0, c;
	*n = 0;
	while (f && fscanf(f, "%d", &c) == 1) {
		if (*n == cap)
			v = jr_xrealloc(v, (cap = cap ? 2 * cap : 8) * sizeof *v);
		v[(*n)++] = c;
	}
	if (f)
		fclose(f);
	return v;
}

int jr_descendants(int pid, struct jr_live **out)
{
	int n = 0, cap = 8, *stack, sp;
	struct jr_live *v = jr_xmalloc(cap * sizeof *v);
	stack = children(pid, &sp);
	while (sp > 0) {
		int c = stack[--sp], k;
		char st = join_proc_state(c, NULL);
		if (st == 'Z' || st == '?' || st == 'X')
			continue;
		if (n == cap)
			v = jr_xrealloc(v, (cap *= 2) * sizeof *v);
		v[n].pid = c;
		join_proc_comm(c, v[n].comm);
		jr_sanitise(v[n].comm);
		v[n].start_ns = (int64_t)join_proc_start_ns(c);
		n++;
		int *more = children(c, &k);
		stack = jr_xrealloc(stack, (sp + k + 1) * sizeof *stack);
		memcpy(stack + sp, more, k * sizeof *more);
		sp += k;
		free(more);
	}
	free(stack);
	*out = v;
	return n;
}

int jr_opaque_text(char *buf, size_t n, const uint64_t c[4])
{
	uint64_t all = c[1] + c[2] + c[3];
	if (!all)
		return 0;
	size_t at = (size_t)snprintf(buf, n, "%llu process%s could not be followed (",
	                             (unsigned long long)all, all == 1 ? "" : "es");
	for (int k = 1, first = 1; k < 4 && at < n; k++) {
		if (!c[k])
			continue;
		at += (size_t)snprintf(buf + at, n - at, "%s%s: %llu", first ? "" : ", ",
		                       jr_opaque_name(k), (unsigned long long)c[k]);
		first = 0;
	}
	if (at < n)
		snprintf(buf + at, n - at, "): their children are not recorded");
	return 1;
}

void jr_accounting_print(FILE *f, const struct jr_model *m, int markdown)
{
	uint64_t opaque[4] = {0};
	int orphans = 0, running = 0;
	for (int i = 0; i < m->n; i++) {
		const struct jr_proc *p = &m->p[i];
		orphans += p->orphan;
		running += p->running_end && !p->has_reap;
		if (p->opaque > 0 && p->opaque < 4)
			opaque[p->opaque]++;
	}
	const char *b = markdown ? "- " : "";
	if (orphans || running || opaque[1] + opaque[2] + opaque[3])
		fputc('\n', f);
	if (orphans)
		fprintf(f,
		        "%s%d orphan%s reaped by joinrun, the tree's subreaper (their parent had "
		        "exited)\n",
		        b, orphans, orphans == 1 ? "" : "s");
	if (running)
		fprintf(f, "%s%d process%s still running when the log ended\n", b, running,
		        running == 1 ? "" : "es");
	char text[256];
	if (jr_opaque_text(text, sizeof text, opaque))
		fprintf(f, "%s%s\n", b, text);
}
