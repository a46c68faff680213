/* SPDX-License-Identifier: MIT */
/*
 * verdict.c - what a comparison supports (joinrun(1), "VERDICT"): the tree's
 * rows and the commands' rows tested with Mann–Whitney's U over runs, Holm's
 * correction across them, a change only where the corrected test supports
 * it, the geometric mean of the ratios, and the gate of --fail-if-slower.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

const char *jr_metric_name(int metric)
{
	static const char *const name[] = {"real time", "CPU time (user+sys, inclusive)",
	                                   "own CPU time (user+sys)", "max RSS"};
	return name[metric];
}

const char *jr_metric_unit(int metric)
{
	return metric == JR_METRIC_MAXRSS ? "KiB" : "ms";
}

/* The CPU time of a run's whole tree: the inclusive times of the processes at its
 * top (their rusage holds what they reaped); NaN when none is known. */
static double tree_cpu(const struct jr_model *m)
{
	double t = 0;
	int known = 0;
	for (int i = 0; i < m->n; i++) {
		const struct jr_proc *p = &m->p[i];
		if (p->parent < 0 && p->user_ms >= 0 && p->sys_ms >= 0) {
			t += p->user_ms + p->sys_ms;
			known = 1;
		}
	}
	return known ? t : NAN;
}

/* A run's value each (NaN: unknown). */
static double *per_run(const struct jr_set *s, int cpu)
{
	double *v = cpu ? jr_xmalloc((s->n + 1) * sizeof *v) : jr_set_walls(s);
	for (int i = 0; cpu && i < s->n; i++)
		v[i] = tree_cpu(s->run[i]);
	return v;
}

/* The known values, in place; with the other side's (pairs), only where both are known. */
static int known(double *v, int n, const double *other)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		if (!isnan(v[i]) && (!other || !isnan(other[i])))
			v[k++] = v[i];
	return k;
}

static void tree_row(struct jr_row *r, const char *name, const struct jr_set *a,
                     const struct jr_set *b, int cpu, int paired)
{
	double *va = per_run(a, cpu), *vb = per_run(b, cpu);
	int both = a->n < b->n ? a->n : b->n;
	double *ka = paired ? jr_xmalloc((both + 1) * sizeof *ka) : NULL;
	if (paired)
		memcpy(ka, va, both * sizeof *ka);
	int na = paired ? known(va, both, vb) : known(va, a->n, NULL);
	int nb = paired ? known(vb, both, ka) : known(vb, b->n, NULL);
	free(ka);
	struct jr_unit *ua = jr_xmalloc((na + 1) * sizeof *ua),
	               *ub = jr_xmalloc((nb + 1) * sizeof *ub);
	for (int i = 0; i < na; i++)
		ua[i] = (struct jr_unit){&va[i], 1};
	for (int i = 0; i < nb; i++)
		ub[i] = (struct jr_unit){&vb[i], 1};
	memset(r, 0, sizeof *r);
	r->name = strdup(name);
	r->na = r->ra = na;
	r->nb = r->rb = nb;
	if (paired)
		jr_boot_paired(va, vb, na, JR_RESAMPLES, JR_SEED, &r->ci);
	else
		jr_boot_ratio(ua, na, ub, nb, JR_RESAMPLES, JR_SEED, &r->ci);
	r->basis = !na && !nb ? "unknown" : !r->ci.enough ? "too few" : paired ? "pairs" : "runs";
	r->units = na < nb ? na : nb;
	r->tested = r->ci.enough && !isnan(r->ci.ratio);
	r->p = !r->tested ? NAN
	       : paired   ? jr_paired_p(va, vb, na, &r->exact)
	                  : jr_mannwhitney(va, na, vb, nb, &r->exact);
	r->med_a = jr_median(va, na);
	r->med_b = jr_median(vb, nb);
	free(ua);
	free(ub);
	free(va);
	free(vb);
}

/* Holm over the rows' p-values; the change each supports. */
static int decide(struct jr_row *r, int n)
{
	double *p = jr_xmalloc((n + 1) * sizeof *p), *q = jr_xmalloc((n + 1) * sizeof *q);
	int tested = 0;
	for (int k = 0; k < n; k++) {
		p[k] = r[k].tested ? r[k].p : NAN;
		tested += r[k].tested;
	}
	jr_holm(p, n, q);
	for (int k = 0; k < n; k++) {
		r[k].q = q[k];
		r[k].change = 0;
		if (r[k].tested && q[k] < JR_ALPHA && r[k].ci.ratio != 1)
			r[k].change = r[k].ci.ratio > 1 ? 1 : -1;
	}
	free(p);
	free(q);
	return tested;
}

/* The fewest units a side with which the exact test, corrected over m rows, can
 * reach JR_ALPHA (never fewer than JR_MIN_UNITS): k pairs give the signed-rank test
 * at best 2 / 2^k, k runs a side the rank-sum test 2 / C(2k, k). */
static int needed(int m, int paired)
{
	int k = JR_MIN_UNITS;
	while (k < JR_EXACT_MAX &&
	       m * (paired ? ldexp(2, -k) : jr_mannwhitney_floor(k)) >= JR_ALPHA)
		k++;
	return k;
}

static double geomean(const struct jr_row *r, int n)
{
	double s = 0;
	int k = 0;
	for (int i = 0; i < n; i++)
		if (r[i].med_a > 0 && r[i].med_b > 0) {
			s += log(r[i].med_b / r[i].med_a);
			k++;
		}
	return k ? exp(s / k) : NAN;
}

/* When a run began: its first instant. */
static int64_t begun(const struct jr_set *s, int i)
{
	return s->run[i]->t0;
}

int jr_interleaved(const struct jr_set *a, const struct jr_set *b)
{
	if (a->n != b->n || a->n < 1)
		return 0;
	const struct jr_set *first = begun(a, 0) < begun(b, 0) ? a : b;
	const struct jr_set *second = first == a ? b : a;
	for (int i = 0; i < a->n; i++)
		if (!(begun(first, i) < begun(second, i)) ||
		    (i + 1 < a->n && !(begun(second, i) < begun(first, i + 1))))
			return 0;
	return 1;
}

void jr_cmp_make(struct jr_cmp *c, const struct jr_set *a, const struct jr_set *b, int metric)
{
	memset(c, 0, sizeof *c);
	c->metric = metric;
	c->paired = jr_interleaved(a, b);
	int n;
	struct jr_row *cmd = jr_rows(a, b, JR_BY_COMM, metric, c->paired, &n);
	c->ntree = 2;
	c->n = n + c->ntree;
	c->row = jr_xmalloc((c->n + 1) * sizeof *c->row);
	tree_row(&c->row[0], "wall time", a, b, 0, c->paired);
	tree_row(&c->row[1], "total CPU", a, b, 1, c->paired);
	memcpy(c->row + c->ntree, cmd, n * sizeof *cmd);
	free(cmd);
	/* The tree's row of the metric counts in the verdict; the other is shown beside. */
	c->row[0].gated = metric == JR_METRIC_REAL;
	c->row[1].gated = metric == JR_METRIC_CPU || metric == JR_METRIC_SELF_CPU;
	for (int k = c->ntree; k < c->n; k++)
		c->row[k].gated = 1;
	c->tested = decide(c->row, c->n);
	c->need = needed(c->tested ? c->tested : 1, c->paired);
	for (int k = 0; k < c->n; k++) {
		c->regressions += c->row[k].gated && c->row[k].change > 0;
		c->improvements += c->row[k].gated && c->row[k].change < 0;
	}
	c->geomean = geomean(c->row + c->ntree, n);
	c->lines = jr_rows(a, b, JR_BY_ARGV, metric, c->paired, &c->nlines);
	decide(c->lines, c->nlines);
}

void jr_cmp_free(struct jr_cmp *c)
{
	jr_rows_free(c->row, c->n);
	jr_rows_free(c->lines, c->nlines);
	memset(c, 0, sizeof *c);
}

/* A workflow command's data: GitHub's escapes for %, CR and LF. */
static void escaped(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '%' || *s == '\r' || *s == '\n')
			fprintf(f, "%%%02X", (unsigned char)*s);
		else
			fputc(*s, f);
}

static void annotation(const struct jr_row *r, const char *what, int beyond)
{
	printf("::%s title=joinrun: %s slower::", beyond ? "error" : "warning", what);
	escaped(stdout, r->name);
	printf(": B/A %.2f (95%% CI %.2f-%.2f, q = %.2g)\n", r->ci.ratio, r->ci.lo, r->ci.hi, r->q);
}

int jr_gate(FILE *f, const struct jr_cmp *c, double pct, int annotate)
{
	int beyond = 0;
	for (int k = 0; k < c->n; k++) {
		const struct jr_row *r = &c->row[k];
		if (r->change <= 0 || !r->gated)
			continue;
		int over = pct >= 0 && r->ci.ratio > 1 + pct / 100;
		if (annotate)
			annotation(r, k < c->ntree ? "the tree" : jr_metric_name(c->metric), over);
		if (!over)
			continue;
		beyond++;
		fprintf(f,
		        "joinrun: regression: %s (%s): B/A %.2f (95%% CI %.2f–%.2f, q = %.2g), "
		        "beyond +%g%%\n",
		        r->name, k < c->ntree ? "the tree" : jr_metric_name(c->metric), r->ci.ratio,
		        r->ci.lo, r->ci.hi, r->q, pct);
	}
	if (annotate)
		fflush(stdout);
	return beyond;
}
