/*
 * summary.c - the per-command table: every process that exited, grouped by
 * its command name at exit, with count, real mean/p50/max, user and sys
 * means, abnormal exits, zombies and late reaps; then the parallelism.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

const char *jr_ms(char buf[32], double ms)
{
	if (ms < 0)
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%.1f", ms);
	return buf;
}

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int by_total(const void *a, const void *b)
{
	const struct jr_group *x = a, *y = b;
	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct jr_group *jr_groups(const struct jr_model *m, int *np)
{
	struct jr_group *g = jr_xmalloc((m->n + 1) * sizeof *g);
	int n = 0;
	double late = jr_late_threshold();
	for (int i = 0; i < m->n; i++) {
		const struct jr_proc *p = &m->p[i];
		if (!jr_done(p))
			continue;
		const char *name = p->comm[0] ? p->comm : "?";
		int k;
		for (k = 0; k < n && strcmp(g[k].name, name); k++)
			;
		if (k == n) {
			memset(&g[n], 0, sizeof g[n]);
			snprintf(g[n].name, sizeof g[n].name, "%s", name);
			g[n].real = jr_xmalloc(8 * sizeof(double));
			g[n].maxrss_kb = -1;
			n++;
		}
		struct jr_group *q = &g[k];
		q->n++;
		q->abnormal += jr_abnormal(p);
		q->zombies += p->zombies > 0 || p->zombie_end;
		q->late += jr_late(p, late);
		double r = jr_real(p);
		if (r >= 0) {
			if (q->nreal >= 8 && !(q->nreal & (q->nreal - 1)))
				q->real = jr_xrealloc(q->real, 2 * q->nreal * sizeof(double));
			q->real[q->nreal++] = r;
		}
		if (p->user_ms >= 0) {
			q->user += p->user_ms;
			q->nuser++;
		}
		if (p->sys_ms >= 0) {
			q->sys += p->sys_ms;
			q->nsys++;
		}
		if (p->maxrss_kb > q->maxrss_kb)
			q->maxrss_kb = p->maxrss_kb;
	}
	for (int k = 0; k < n; k++) {
		struct jr_group *q = &g[k];
		q->user = q->nuser ? q->user / q->nuser : -1;
		q->sys = q->nsys ? q->sys / q->nsys : -1;
		q->mean = q->sd = q->p50 = q->min = q->max = -1;
		if (!q->nreal)
			continue;
		qsort(q->real, q->nreal, sizeof(double), by_double);
		double s = 0, ss = 0;
		for (int i = 0; i < q->nreal; i++)
			s += q->real[i];
		q->total = s;
		q->mean = s / q->nreal;
		for (int i = 0; i < q->nreal; i++)
			ss += (q->real[i] - q->mean) * (q->real[i] - q->mean);
		q->sd = q->nreal > 1 ? sqrt(ss / (q->nreal - 1)) : 0;
		int h = q->nreal / 2;
		q->p50 = q->nreal % 2 ? q->real[h] : (q->real[h - 1] + q->real[h]) / 2;
		q->min = q->real[0];
		q->max = q->real[q->nreal - 1];
	}
	qsort(g, n, sizeof *g, by_total);
	*np = n;
	return g;
}

void jr_groups_free(struct jr_group *g, int n)
{
	for (int k = 0; k < n; k++)
		free(g[k].real);
	free(g);
}

void jr_summary(FILE *f, const struct jr_model *m, int markdown)
{
	int n;
	struct jr_group *g = jr_groups(m, &n);
	int procs = 0;
	for (int k = 0; k < n; k++)
		procs += g[k].n;
	const char *ps = procs == 1 ? "" : "es", *cs = n == 1 ? "" : "s";
	if (markdown)
		fprintf(f, "**%s**: %d process%s, %d command%s; times in ms\n\n", m->name, procs,
		        ps, n, cs);
	else
		fprintf(f, "joinrun: %s: %d process%s, %d command%s; times in ms\n", m->name, procs,
		        ps, n, cs);
	struct jr_table t;
	jr_table_init(&t, 10);
	static const char *const head[10] = {"command", "count",     "real mean", "p50",
	                                     "max",     "user mean", "sys mean",  "abnormal",
	                                     "zombies", "late reaps"};
	for (int c = 0; c < 10; c++)
		jr_table_add(&t, "%s", head[c]);
	for (int k = 0; k < n; k++) {
		char b[5][32];
		jr_table_add(&t, "%s", g[k].name);
		jr_table_add(&t, "%d", g[k].n);
		jr_table_add(&t, "%s", jr_ms(b[0], g[k].mean));
		jr_table_add(&t, "%s", jr_ms(b[1], g[k].p50));
		jr_table_add(&t, "%s", jr_ms(b[2], g[k].max));
		jr_table_add(&t, "%s", jr_ms(b[3], g[k].user));
		jr_table_add(&t, "%s", jr_ms(b[4], g[k].sys));
		jr_table_add(&t, "%d", g[k].abnormal);
		jr_table_add(&t, "%d", g[k].zombies);
		jr_table_add(&t, "%d", g[k].late);
	}
	jr_table_print(f, &t, markdown);
	jr_table_free(&t);
	jr_groups_free(g, n);

	struct jr_par r;
	jr_parallel(m, &r);
	fputc('\n', f);
	jr_parallel_print(f, m, &r, markdown);
	jr_parallel_free(&r);
}
