/* SPDX-License-Identifier: MIT */
/*
 * summary.c - the per-command table: every process that exited, grouped by
 * its command name at exit (or its command line), over one run or a set of
 * runs, with count, real mean/median/max, user and sys means, abnormal
 * exits, zombies and late reaps; then the parallelism.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

const char *jr_ms(char buf[32], double ms)
{
	if (ms < 0 || isnan(ms))
		snprintf(buf, 32, "-");
	else
		snprintf(buf, 32, "%.1f", ms);
	return buf;
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

const char *jr_key(const struct jr_proc *p, int key)
{
	if (key == JR_BY_ARGV)
		return p->argv;
	return p->comm[0] ? p->comm : "?";
}

/* The group named name in g[0..*n), made if new. */
static struct jr_group *group(struct jr_group **g, int *n, int *cap, const char *name)
{
	for (int k = 0; k < *n; k++)
		if (!strcmp((*g)[k].name, name))
			return &(*g)[k];
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*g = jr_xrealloc(*g, *cap * sizeof **g);
	}
	struct jr_group *q = &(*g)[(*n)++];
	memset(q, 0, sizeof *q);
	q->name = jr_xmalloc(strlen(name) + 1);
	strcpy(q->name, name);
	q->last_run = -1;
	return q;
}

static void add(struct jr_group *q, const struct jr_proc *p, int run, double late)
{
	q->n++;
	q->nruns += q->last_run != run;
	q->last_run = run;
	q->abnormal += jr_abnormal(p);
	q->zombies += p->zombies > 0 || p->zombie_end;
	q->late += jr_late(p, late);
	if (jr_real(p) >= 0)
		jr_dist_add(&q->real, jr_real(p));
	if (p->user_ms >= 0)
		jr_dist_add(&q->user, p->user_ms);
	if (p->sys_ms >= 0)
		jr_dist_add(&q->sys, p->sys_ms);
	if (p->maxrss_kb >= 0)
		jr_dist_add(&q->rss, p->maxrss_kb);
	if (p->user_ms >= 0 && p->sys_ms >= 0)
		jr_dist_add(&q->cpu, p->user_ms + p->sys_ms);
	if (p->self_user_ms >= 0)
		jr_dist_add(&q->self_user, p->self_user_ms);
	if (p->self_sys_ms >= 0)
		jr_dist_add(&q->self_sys, p->self_sys_ms);
	if (jr_self_cpu(p) >= 0)
		jr_dist_add(&q->self, jr_self_cpu(p));
}

struct jr_group *jr_groups_of(struct jr_model *const *runs, int nruns, int key, int *np)
{
	struct jr_group *g = NULL;
	int n = 0, cap = 0;
	double late = jr_late_threshold();
	for (int r = 0; r < nruns; r++)
		for (int i = 0; i < runs[r]->n; i++) {
			const struct jr_proc *p = &runs[r]->p[i];
			if (jr_done(p) && jr_key(p, key))
				add(group(&g, &n, &cap, jr_key(p, key)), p, r, late);
		}
	for (int k = 0; k < n; k++) {
		jr_dist_done(&g[k].real);
		jr_dist_done(&g[k].user);
		jr_dist_done(&g[k].sys);
		jr_dist_done(&g[k].rss);
		jr_dist_done(&g[k].cpu);
		jr_dist_done(&g[k].self);
		jr_dist_done(&g[k].self_user);
		jr_dist_done(&g[k].self_sys);
		g[k].total = g[k].real.n ? g[k].real.mean * g[k].real.n : 0;
	}
	if (n > 1)
		qsort(g, n, sizeof *g, by_total);
	*np = n;
	return g;
}

struct jr_group *jr_groups(const struct jr_model *m, int *n)
{
	struct jr_model *one = (struct jr_model *)m;
	return jr_groups_of(&one, 1, JR_BY_COMM, n);
}

void jr_groups_free(struct jr_group *g, int n)
{
	for (int k = 0; k < n; k++) {
		jr_dist_free(&g[k].real);
		jr_dist_free(&g[k].user);
		jr_dist_free(&g[k].sys);
		jr_dist_free(&g[k].rss);
		jr_dist_free(&g[k].cpu);
		jr_dist_free(&g[k].self);
		jr_dist_free(&g[k].self_user);
		jr_dist_free(&g[k].self_sys);
		free(g[k].name);
	}
	free(g);
}

void jr_times_note(FILE *f, int markdown)
{
	fprintf(f,
	        "%sown user and sys: each process's own CPU time (\"-\" where libjoin could not "
	        "see all it reaped); incl cpu: inclusive, user+sys of it and the descendants it "
	        "reaped (rusage; Plan 9's \"of loved one & descendants\")\n",
	        markdown ? "\n" : "");
}

/* Processes left out of the real-time columns: their exit was never known. */
static void unknown_note(FILE *f, struct jr_model *const *runs, int nruns, int markdown)
{
	int n = 0;
	for (int r = 0; r < nruns; r++)
		for (int i = 0; i < runs[r]->n; i++)
			n += jr_exit_unknown(&runs[r]->p[i]);
	if (n)
		fprintf(f,
		        "%sreal time unknown for %d zombie%s never reaped: %s exit was not watched "
		        "(--watch knows it); left out of real\n",
		        markdown ? "- " : "", n, n == 1 ? "" : "s", n == 1 ? "its" : "their");
}

/* The table of one run or a pooled set of runs. */
void jr_group_table(FILE *f, const char *title, struct jr_model *const *runs, int nruns,
                    int markdown)
{
	int n;
	struct jr_group *g = jr_groups_of(runs, nruns, JR_BY_COMM, &n);
	int procs = 0;
	for (int k = 0; k < n; k++)
		procs += g[k].n;
	const char *ps = procs == 1 ? "" : "es", *cs = n == 1 ? "" : "s";
	char rs[48] = "";
	if (nruns > 1)
		snprintf(rs, sizeof rs, " in %d runs", nruns);
	fprintf(f,
	        markdown ? "**%s**: %d process%s%s, %d command%s; times in ms\n\n"
	                 : "joinrun: %s: %d process%s%s, %d command%s; times in ms\n",
	        title, procs, ps, rs, n, cs);
	struct jr_table t;
	jr_table_init(&t, 11);
	static const char *const head[11] = {
	    "command",      "count",         "real mean", "median",  "max",       "own user mean",
	    "own sys mean", "incl cpu mean", "abnormal",  "zombies", "late reaps"};
	for (int c = 0; c < 11; c++)
		jr_table_add(&t, "%s", head[c]);
	for (int k = 0; k < n; k++) {
		char b[6][32];
		jr_table_add(&t, "%s", g[k].name);
		jr_table_add(&t, "%d", g[k].n);
		jr_table_add(&t, "%s", jr_ms(b[0], g[k].real.mean));
		jr_table_add(&t, "%s", jr_ms(b[1], g[k].real.median));
		jr_table_add(&t, "%s", jr_ms(b[2], g[k].real.max));
		double incl = g[k].user.n && g[k].sys.n ? g[k].user.mean + g[k].sys.mean : -1;
		jr_table_add(&t, "%s", jr_ms(b[3], g[k].self_user.n ? g[k].self_user.mean : -1));
		jr_table_add(&t, "%s", jr_ms(b[4], g[k].self_sys.n ? g[k].self_sys.mean : -1));
		jr_table_add(&t, "%s", jr_ms(b[5], incl));
		jr_table_add(&t, "%d", g[k].abnormal);
		jr_table_add(&t, "%d", g[k].zombies);
		jr_table_add(&t, "%d", g[k].late);
	}
	jr_table_print(f, &t, markdown);
	jr_table_free(&t);
	jr_groups_free(g, n);
	jr_times_note(f, markdown);
	unknown_note(f, runs, nruns, markdown);
}

void jr_summary(FILE *f, const struct jr_model *m, int markdown)
{
	struct jr_model *one = (struct jr_model *)m;
	jr_group_table(f, m->name, &one, 1, markdown);
	struct jr_par r;
	jr_parallel(m, &r);
	fputc('\n', f);
	jr_parallel_print(f, m, &r, markdown);
	jr_parallel_free(&r);
	jr_accounting_print(f, m, markdown);
}
