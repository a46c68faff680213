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

/* The units of one side: a run's real times each (by_run), or every invocation. */
static struct jr_unit *units(const struct per_run *x, const char *name, int by_run, int *nu,
                             int *inv, int *runs)
{
	struct jr_unit *u = NULL;
	*nu = *inv = *runs = 0;
	for (int i = 0; i < x->runs; i++) {
		const struct jr_group *g = find(x->g[i], x->n[i], name);
		if (!g || !g->real.n)
			continue;
		++*runs;
		*inv += g->real.n;
		int add = by_run ? 1 : g->real.n;
		u = jr_xrealloc(u, (*nu + add) * sizeof *u);
		for (int k = 0; k < add; k++)
			u[(*nu)++] = by_run ? (struct jr_unit){g->real.v, g->real.n}
			                    : (struct jr_unit){&g->real.v[k], 1};
	}
	return u;
}

/* Runs when both sides have enough; else invocations when both have enough of those
 * (run-to-run variation then unsampled); else too few to conclude. */
static void fill(struct jr_row *r, const struct per_run *a, const struct per_run *b)
{
	int nua, nub, by_run = 1;
	struct jr_unit *ua = units(a, r->name, 1, &nua, &r->na, &r->ra);
	struct jr_unit *ub = units(b, r->name, 1, &nub, &r->nb, &r->rb);
	if ((nua < JR_MIN_UNITS || nub < JR_MIN_UNITS) && r->na >= JR_MIN_UNITS &&
	    r->nb >= JR_MIN_UNITS) {
		free(ua);
		free(ub);
		by_run = 0;
		ua = units(a, r->name, 0, &nua, &r->na, &r->ra);
		ub = units(b, r->name, 0, &nub, &r->nb, &r->rb);
	}
	jr_boot_ratio(ua, nua, ub, nub, JR_RESAMPLES, JR_SEED, &r->ci);
	r->basis = !r->ci.enough ? "too few" : by_run ? "runs" : "invocations";
	free(ua);
	free(ub);
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
static double median_of(const struct per_run *x, const char *name)
{
	int nu, inv, runs;
	struct jr_unit *u = units(x, name, 0, &nu, &inv, &runs);
	double *v = jr_xmalloc((nu + 1) * sizeof *v);
	for (int i = 0; i < nu; i++)
		v[i] = u[i].v[0];
	double m = jr_median(v, nu);
	free(v);
	free(u);
	return m;
}

struct jr_row *jr_rows(const struct jr_set *a, const struct jr_set *b, int key, int *n)
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
			fill(r, &pa, &pb);
			r->med_a = median_of(&pa, name);
			r->med_b = median_of(&pb, name);
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
	if (!r->ci.significant)
		return "";
	return r->ci.lo > 1 ? "slower" : "faster";
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
	jr_table_add(t, "%s", mark(r));
}

static void rows_table(FILE *f, const struct jr_row *rows, int n, int limit, int markdown)
{
	static const char *const head[9] = {"command",  "n/runs A", "median A",
	                                    "n/runs B", "median B", "B/A",
	                                    "95% CI",   "basis",    "change"};
	struct jr_table t;
	jr_table_init(&t, 9);
	for (int c = 0; c < 9; c++)
		jr_table_add(&t, "%s", head[c]);
	for (int k = 0; k < n && k < limit; k++)
		row_cells(&t, &rows[k]);
	jr_table_print(f, &t, markdown);
	jr_table_free(&t);
}

/* What the intervals can and cannot say, under the table. */
static void notes(FILE *f, const struct jr_row *rows, int n, int markdown)
{
	int few = 0, marked = 0;
	for (int k = 0; k < n; k++) {
		few += !rows[k].ci.enough;
		marked += rows[k].ci.significant;
	}
	const char *b = markdown ? "- " : "  ";
	fputs(markdown ? "\n" : "", f);
	fprintf(f,
	        "%sratio: median B / median A; 95%% interval: bootstrap (%d resamples, fixed "
	        "seed) over runs, or over invocations when a side has fewer than %d runs\n",
	        b, JR_RESAMPLES, JR_MIN_UNITS);
	if (few)
		fprintf(f,
		        "%stoo few runs to conclude for %d of %d command%s (fewer than %d runs "
		        "or invocations a side): no interval, no mark\n",
		        b, few, n, n == 1 ? "" : "s", JR_MIN_UNITS);
	if (n - few > 1)
		fprintf(f,
		        "%smarked: %d of %d intervals; each is 95%% on its own, so about 1 in 20 "
		        "of the unchanged may be marked by chance\n",
		        b, marked, n - few);
}

/* The wall time of each run as one unit: the whole command's ratio, as hyperfine's. */
static void wall_row(FILE *f, const struct jr_set *a, const struct jr_set *b, int markdown)
{
	double *wa = jr_set_walls(a), *wb = jr_set_walls(b);
	struct jr_unit *ua = jr_xmalloc((a->n + 1) * sizeof *ua),
	               *ub = jr_xmalloc((b->n + 1) * sizeof *ub);
	for (int i = 0; i < a->n; i++)
		ua[i] = (struct jr_unit){&wa[i], 1};
	for (int i = 0; i < b->n; i++)
		ub[i] = (struct jr_unit){&wb[i], 1};
	struct jr_row r = {.name = "wall time", .na = a->n, .nb = b->n, .ra = a->n, .rb = b->n};
	jr_boot_ratio(ua, a->n, ub, b->n, JR_RESAMPLES, JR_SEED, &r.ci);
	r.basis = r.ci.enough ? "runs" : "too few";
	r.med_a = jr_median(wa, a->n);
	r.med_b = jr_median(wb, b->n);
	fprintf(f, markdown ? "\n**the whole command**\n\n" : "\nthe whole command\n");
	rows_table(f, &r, 1, 1, markdown);
	free(ua);
	free(ub);
	free(wa);
	free(wb);
}

static void header(FILE *f, const struct jr_set *a, const struct jr_set *b, int markdown)
{
	fprintf(f,
	        markdown ? "**A**: %s (%d run%s), **B**: %s (%d run%s); real time per command, "
	                   "ms\n\n"
	                 : "joinrun: A: %s (%d run%s), B: %s (%d run%s); real time per "
	                   "command, ms\n",
	        a->name, a->n, a->n == 1 ? "" : "s", b->name, b->n, b->n == 1 ? "" : "s");
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

static void lines_table(FILE *f, const struct jr_set *a, const struct jr_set *b, int markdown)
{
	int n;
	struct jr_row *rows = jr_rows(a, b, JR_BY_ARGV, &n);
	if (n) {
		qsort(rows, n, sizeof *rows, by_change);
		fprintf(f, markdown ? "\n**command lines that changed most**\n\n"
		                    : "\ncommand lines that changed most\n");
		rows_table(f, rows, n, 10, markdown);
	}
	jr_rows_free(rows, n);
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

void jr_compare(FILE *f, const struct jr_set *a, const struct jr_set *b, int markdown)
{
	int n;
	struct jr_row *rows = jr_rows(a, b, JR_BY_COMM, &n);
	header(f, a, b, markdown);
	rows_table(f, rows, n, n, markdown);
	notes(f, rows, n, markdown);
	jr_rows_free(rows, n);
	wall_row(f, a, b, markdown);
	lines_table(f, a, b, markdown);
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
