/* SPDX-License-Identifier: MIT */
/*
 * report.c - saved logs summarised (--report LOG|DIR) or compared (--report A B):
 * per command the median real time of each set, the ratio B/A with its 95%
 * bootstrap confidence interval, and a mark only where the interval excludes 1
 * (docs/DESIGN.md, "Comparing two sets of runs"); then the wall time the same
 * way, and the two trees' parallelism.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

/* Each run's groups, by key. */
struct per_run {
	struct jr_group **g;
	int *n, runs;
};

static void per_run(const struct jr_set *s, int key, struct per_run *x)
{
	x->runs = s->n;
	x->g = jr_xmalloc((s->n + 1) * sizeof *x->g);
	x->n = jr_xmalloc((s->n + 1) * sizeof *x->n);
	for (int i = 0; i < s->n; i++)
		x->g[i] = jr_groups_of(&s->run[i], 1, key, &x->n[i]);
}

static void per_run_free(struct per_run *x)
{
	for (int i = 0; i < x->runs; i++)
		jr_groups_free(x->g[i], x->n[i]);
	free(x->g);
	free(x->n);
}

static const struct jr_group *find(const struct jr_group *g, int n, const char *name)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(g[k].name, name))
			return &g[k];
	return NULL;
}

/* What a comparison measures in a group: real time, CPU (inclusive or own), max RSS. */
static const struct jr_dist *metric_of(const struct jr_group *g, int metric)
{
	switch (metric) {
	case JR_METRIC_CPU:
		return &g->cpu;
	case JR_METRIC_SELF_CPU:
		return &g->self;
	case JR_METRIC_MAXRSS:
		return &g->rss;
	}
	return &g->real;
}

/* The units of one side: a run's values each (by_run), or every invocation. */
static struct jr_unit *units(const struct per_run *x, const char *name, int metric, int by_run,
                             int *nu, int *inv, int *runs)
{
	struct jr_unit *u = NULL;
	*nu = *inv = *runs = 0;
	for (int i = 0; i < x->runs; i++) {
		const struct jr_group *g = find(x->g[i], x->n[i], name);
		const struct jr_dist *d = g ? metric_of(g, metric) : NULL;
		if (!d || !d->n)
			continue;
		++*runs;
		*inv += d->n;
		int add = by_run ? 1 : d->n;
		u = jr_xrealloc(u, (*nu + add) * sizeof *u);
		for (int k = 0; k < add; k++)
			u[(*nu)++] =
			    by_run ? (struct jr_unit){d->v, d->n} : (struct jr_unit){&d->v[k], 1};
	}
	return u;
}

/* One value a unit, its median, for the rank test: runs are the independent draws. */
static double *unit_values(const struct jr_unit *u, int n)
{
	double *v = jr_xmalloc((n + 1) * sizeof *v), *scratch = NULL;
	for (int i = 0; i < n; i++) {
		scratch = jr_xrealloc(scratch, (u[i].n + 1) * sizeof *scratch);
		memcpy(scratch, u[i].v, u[i].n * sizeof *scratch);
		v[i] = jr_median(scratch, u[i].n);
	}
	free(scratch);
	return v;
}

/* The rank test of a row whose units are enough: its p-value, NaN when untested. */
static void test(struct jr_row *r, const struct jr_unit *ua, int nua, const struct jr_unit *ub,
                 int nub)
{
	r->p = r->q = NAN;
	r->tested = r->ci.enough && !isnan(r->ci.ratio);
	r->units = nua < nub ? nua : nub;
	if (!r->tested)
		return;
	double *va = unit_values(ua, nua), *vb = unit_values(ub, nub);
	r->p = jr_mannwhitney(va, nua, vb, nub, &r->exact);
	free(va);
	free(vb);
}

/* Runs when both sides have enough; else invocations when both have enough of those
 * (run-to-run variation then unsampled); else too few to conclude. */
static void fill(struct jr_row *r, const struct per_run *a, const struct per_run *b, int metric)
{
	int nua, nub, by_run = 1;
	struct jr_unit *ua = units(a, r->name, metric, 1, &nua, &r->na, &r->ra);
	struct jr_unit *ub = units(b, r->name, metric, 1, &nub, &r->nb, &r->rb);
	if ((nua < JR_MIN_UNITS || nub < JR_MIN_UNITS) && r->na >= JR_MIN_UNITS &&
	    r->nb >= JR_MIN_UNITS) {
		free(ua);
		free(ub);
		by_run = 0;
		ua = units(a, r->name, metric, 0, &nua, &r->na, &r->ra);
		ub = units(b, r->name, metric, 0, &nub, &r->nb, &r->rb);
	}
	jr_boot_ratio(ua, nua, ub, nub, JR_RESAMPLES, JR_SEED, &r->ci);
	r->basis = !r->na && !r->nb ? "unknown" /* the metric is in neither log */
	           : !r->ci.enough  ? "too few"
	           : by_run         ? "runs"
	                            : "invocations";
	test(r, ua, nua, ub, nub);
	free(ua);
	free(ub);
}

/* Interleaved runs: the command's value (its median in the run) in run i of A against
 * run i of B, where both ran it. */
static void fill_paired(struct jr_row *r, const struct per_run *a, const struct per_run *b,
                        int metric)
{
	int n = a->runs < b->runs ? a->runs : b->runs, k = 0;
	double *va = jr_xmalloc((n + 1) * sizeof *va), *vb = jr_xmalloc((n + 1) * sizeof *vb);
	r->na = r->nb = r->ra = r->rb = 0;
	for (int i = 0; i < n; i++) {
		const struct jr_group *ga = find(a->g[i], a->n[i], r->name);
		const struct jr_group *gb = find(b->g[i], b->n[i], r->name);
		const struct jr_dist *da = ga ? metric_of(ga, metric) : NULL;
		const struct jr_dist *db = gb ? metric_of(gb, metric) : NULL;
		r->na += da ? da->n : 0;
		r->ra += da && da->n;
		r->nb += db ? db->n : 0;
		r->rb += db && db->n;
		if (da && da->n && db && db->n) {
			va[k] = da->median;
			vb[k++] = db->median;
		}
	}
	jr_boot_paired(va, vb, k, JR_RESAMPLES, JR_SEED, &r->ci);
	r->basis = !r->na && !r->nb ? "unknown" : r->ci.enough ? "pairs" : "too few";
	r->units = k;
	r->tested = r->ci.enough && !isnan(r->ci.ratio);
	r->p = r->q = NAN;
	if (r->tested)
		r->p = jr_paired_p(va, vb, k, &r->exact);
	free(va);
	free(vb);
}

static struct jr_row *row_of(struct jr_row **rows, int *n, const char *name)
{
	*rows = jr_xrealloc(*rows, (*n + 1) * sizeof **rows);
	struct jr_row *r = &(*rows)[(*n)++];
	memset(r, 0, sizeof *r);
	r->name = strdup(name);
	return r;
}

/* The median of a group pooled over the set (NaN if none). */
static double median_of(const struct per_run *x, const char *name, int metric)
{
	int nu, inv, runs;
	struct jr_unit *u = units(x, name, metric, 0, &nu, &inv, &runs);
	double *v = jr_xmalloc((nu + 1) * sizeof *v);
	for (int i = 0; i < nu; i++)
		v[i] = u[i].v[0];
	double m = jr_median(v, nu);
	free(v);
	free(u);
	return m;
}

struct jr_row *jr_rows(const struct jr_set *a, const struct jr_set *b, int key, int metric,
                       int paired, int *n)
{
	struct per_run pa, pb;
	per_run(a, key, &pa);
	per_run(b, key, &pb);
	int ga, gb;
	struct jr_group *all_a = jr_groups_of(a->run, a->n, key, &ga);
	struct jr_group *all_b = jr_groups_of(b->run, b->n, key, &gb);
	struct jr_row *rows = NULL;
	*n = 0;
	for (int side = 0; side < 2; side++)
		for (int k = 0; k < (side ? gb : ga); k++) {
			const char *name = side ? all_b[k].name : all_a[k].name;
			if (side && find(all_a, ga, name))
				continue;
			struct jr_row *r = row_of(&rows, n, name);
			if (paired)
				fill_paired(r, &pa, &pb, metric);
			else
				fill(r, &pa, &pb, metric);
			r->med_a = median_of(&pa, name, metric);
			r->med_b = median_of(&pb, name, metric);
		}
	jr_groups_free(all_a, ga);
	jr_groups_free(all_b, gb);
	per_run_free(&pa);
	per_run_free(&pb);
	return rows;
}

void jr_rows_free(struct jr_row *r, int n)
{
	for (int k = 0; k < n; k++)
		free(r[k].name);
	free(r);
}

static void num(struct jr_table *t, double v, int prec)
{
	if (isnan(v))
		jr_table_add(t, "-");
	else
		jr_table_add(t, "%.*f", prec, v);
}

static const char *mark(const struct jr_row *r)
{
	if (!r->tested)
		return "";
	return r->change > 0 ? "slower" : r->change < 0 ? "faster" : "~";
}

/* A command line's end names its file: a long one keeps its last 60 bytes (whole UTF-8
 * characters), after an ellipsis. */
static void name_cell(struct jr_table *t, const char *name)
{
	size_t n = strlen(name), at = n > 60 ? n - 60 : 0;
	while (at > 0 && at < n && ((unsigned char)name[at] & 0xC0) == 0x80)
		at++;
	jr_table_add(t, "%s%s", at ? "…" : "", name + at);
}

static void row_cells(struct jr_table *t, const struct jr_row *r)
{
	name_cell(t, r->name);
	jr_table_add(t, "%d/%d", r->na, r->ra);
	num(t, r->med_a, 1);
	jr_table_add(t, "%d/%d", r->nb, r->rb);
	num(t, r->med_b, 1);
	num(t, r->ci.ratio, 2);
	if (isnan(r->ci.lo))
		jr_table_add(t, "-");
	else
		jr_table_add(t, "%.2f–%.2f", r->ci.lo, r->ci.hi);
	jr_table_add(t, "%s", r->basis);
	num(t, r->q, 3);
	jr_table_add(t, "%s", mark(r));
}

#define NCOL 10
static void rows_table(FILE *f, const struct jr_row *rows, int n, int limit, double geomean,
                       int markdown)
{
	static const char *const head[NCOL] = {"command",  "n/runs A", "median A", "n/runs B",
	                                       "median B", "B/A",      "95% CI",   "basis",
	                                       "q",        "change"};
	struct jr_table t;
	jr_table_init(&t, NCOL);
	for (int c = 0; c < NCOL; c++)
		jr_table_add(&t, "%s", head[c]);
	for (int k = 0; k < n && k < limit; k++)
		row_cells(&t, &rows[k]);
	if (!isnan(geomean)) { /* benchstat's last row: the commands' ratios, geometric mean */
		jr_table_add(&t, "geomean");
		for (int c = 1; c < NCOL; c++)
			if (c == 5)
				jr_table_add(&t, "%.2f", geomean);
			else
				jr_table_add(&t, "%s", "");
	}
	jr_table_print(f, &t, markdown);
	jr_table_free(&t);
}

/* What the test can and cannot say, under the table. */
static void notes(FILE *f, const struct jr_cmp *c, int markdown)
{
	int few = 0, weak = 0;
	for (int k = 0; k < c->n; k++) {
		few += !c->row[k].tested;
		weak += c->row[k].tested && c->row[k].units < c->need;
	}
	const char *b = markdown ? "- " : "  ";
	fputs(markdown ? "\n" : "", f);
	if (c->paired)
		fprintf(
		    f,
		    "%sB/A: median B / median A, its 95%% interval a bootstrap over the pairs of "
		    "interleaved runs (%d resamples, fixed seed); q: Wilcoxon signed-rank over "
		    "those pairs, Holm-corrected across the %d tested rows\n",
		    b, JR_RESAMPLES, c->tested);
	else
		fprintf(
		    f,
		    "%sB/A: median B / median A, its 95%% interval a bootstrap (%d resamples, "
		    "fixed seed); q: Mann–Whitney U over runs (over invocations when a side has "
		    "fewer than %d runs), Holm-corrected across the %d tested rows\n",
		    b, JR_RESAMPLES, JR_MIN_UNITS, c->tested);
	fprintf(f,
	        "%schange: slower or faster where q < %.2f, ~ where the data supports no change: "
	        "%d slower, %d faster\n",
	        b, JR_ALPHA, c->regressions, c->improvements);
	if (few)
		fprintf(f,
		        "%stoo few runs to conclude for %d of %d rows (fewer than %d runs or "
		        "invocations a side): no test, no verdict\n",
		        b, few, c->n, JR_MIN_UNITS);
	if (weak)
		fprintf(
		    f,
		    "%s%d row%s cannot show a change at all: with %d tested rows the test needs "
		    "at least %d runs a side\n",
		    b, weak, weak == 1 ? "" : "s", c->tested, c->need);
}

static void header(FILE *f, const struct jr_set *a, const struct jr_set *b, int metric,
                   int markdown)
{
	fprintf(f,
	        markdown ? "**A**: %s (%d run%s), **B**: %s (%d run%s); %s per command, %s\n\n"
	                 : "joinrun: A: %s (%d run%s), B: %s (%d run%s); %s per command, %s\n",
	        a->name, a->n, a->n == 1 ? "" : "s", b->name, b->n, b->n == 1 ? "" : "s",
	        jr_metric_name(metric), jr_metric_unit(metric));
}

/* Command lines, when both sets have them: the most changed first. */
static double change_of(const struct jr_row *r)
{
	return r->ci.enough && r->ci.ratio > 0 ? fabs(log(r->ci.ratio)) : -1;
}

static int by_change(const void *x, const void *y)
{
	double a = change_of(x), b = change_of(y);
	return a > b ? -1 : a < b;
}

static void lines_table(FILE *f, const struct jr_cmp *c, int markdown)
{
	if (!c->nlines)
		return;
	struct jr_row *rows = jr_xmalloc(c->nlines * sizeof *rows);
	memcpy(rows, c->lines, c->nlines * sizeof *rows);
	qsort(rows, c->nlines, sizeof *rows, by_change);
	fprintf(f, markdown ? "\n**command lines that changed most**\n\n"
	                    : "\ncommand lines that changed most\n");
	rows_table(f, rows, c->nlines, 10, NAN, markdown);
	free(rows);
}

static void typical(FILE *f, const struct jr_set *s, const char *which, int markdown)
{
	const struct jr_model *m = s->run[jr_set_typical(s)];
	struct jr_par r;
	jr_parallel(m, &r);
	fprintf(f,
	        markdown ? "\n**%s** (%s, the run of median wall time)\n\n"
	                 : "\n%s (%s, the run of median wall time)\n",
	        which, m->name);
	jr_parallel_print(f, m, &r, markdown);
	jr_parallel_free(&r);
}

void jr_compare(FILE *f, const struct jr_set *a, const struct jr_set *b, const struct jr_cmp *c,
                int markdown)
{
	header(f, a, b, c->metric, markdown);
	rows_table(f, c->row, c->n, c->n, c->geomean, markdown);
	notes(f, c, markdown);
	lines_table(f, c, markdown);
	typical(f, a, "A", markdown);
	typical(f, b, "B", markdown);
}

void jr_report_one(FILE *f, const struct jr_set *s, int markdown)
{
	jr_group_table(f, s->name, s->run, s->n, markdown);
	if (s->n > 1) {
		double *w = jr_set_walls(s);
		struct jr_dist d = {0};
		for (int i = 0; i < s->n; i++)
			jr_dist_add(&d, w[i]);
		jr_dist_done(&d);
		fprintf(f, "%swall time of %d runs: median %.3f s, min %.3f s, max %.3f s\n",
		        markdown ? "\n" : "", s->n, d.median / 1e3, d.min / 1e3, d.max / 1e3);
		jr_dist_free(&d);
		free(w);
		typical(f, s, "the tree", markdown);
		return;
	}
	struct jr_par r;
	jr_parallel(s->run[0], &r);
	fputc('\n', f);
	jr_parallel_print(f, s->run[0], &r, markdown);
	jr_parallel_free(&r);
	jr_accounting_print(f, s->run[0], markdown);
}
