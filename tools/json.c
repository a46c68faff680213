/* SPDX-License-Identifier: MIT */
/*
 * json.c - --json: the analysis as one JSON object (joinrun(1), JSON OUTPUT):
 * "commands" and "parallelism" of the first set, "after" with the second's,
 * and for two sets "tree" (wall time, total CPU), "comparison" (per command),
 * "command_lines" when both have them, and the verdict's "summary".
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "tools.h"

static json_t *real(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *dist(const struct jr_dist *d)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "median", real(d->median), "mean",
	                 real(d->mean), "sd", real(d->sd), "min", real(d->min), "max",
	                 real(d->max));
}

static json_t *commands(const struct jr_set *s)
{
	int n;
	struct jr_group *g = jr_groups_of(s->run, s->n, JR_BY_COMM, &n);
	json_t *a = json_array();
	for (int k = 0; k < n; k++)
		json_array_append_new(
		    a,
		    json_pack("{s:s, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:i, s:i, s:i}",
		              "command", g[k].name, "count", g[k].n, "runs", g[k].nruns, "real_ms",
		              dist(&g[k].real), "self_user_ms", dist(&g[k].self_user),
		              "self_sys_ms", dist(&g[k].self_sys), "user_ms", dist(&g[k].user),
		              "sys_ms", dist(&g[k].sys), "maxrss_kb", dist(&g[k].rss), "abnormal",
		              g[k].abnormal, "zombies", g[k].zombies, "late_reaps", g[k].late));
	jr_groups_free(g, n);
	return a;
}

/* The longest stretches of the critical path, in time order (a long build has hundreds;
 * the count says how many there were). */
static int by_length(const void *x, const void *y)
{
	const struct jr_seg *a = *(const struct jr_seg *const *)x,
	                    *b = *(const struct jr_seg *const *)y;
	int64_t la = a->e - a->s, lb = b->e - b->s;
	return la != lb ? (la > lb ? -1 : 1) : (a < b ? -1 : a > b);
}

static int by_place(const void *x, const void *y)
{
	const struct jr_seg *a = *(const struct jr_seg *const *)x,
	                    *b = *(const struct jr_seg *const *)y;
	return a < b ? -1 : a > b;
}

static json_t *path(const struct jr_model *m, const struct jr_par *r)
{
	json_t *a = json_array();
	const struct jr_seg **top = jr_xmalloc((r->ncrit + 1) * sizeof *top);
	for (int k = 0; k < r->ncrit; k++)
		top[k] = &r->crit[k];
	int n = r->ncrit < JR_CRIT_TOP ? r->ncrit : JR_CRIT_TOP;
	qsort(top, r->ncrit, sizeof *top, by_length);
	qsort(top, n, sizeof *top, by_place);
	for (int k = 0; k < n; k++) {
		const struct jr_seg *c = top[k];
		const struct jr_proc *p = &m->p[c->proc];
		double own = jr_self_cpu(p);
		json_array_append_new(a, json_pack("{s:i, s:s, s:o, s:o, s:o}", "pid", p->pid,
		                                   "comm", p->comm[0] ? p->comm : "?", "start_ms",
		                                   json_real((c->s - r->s) / 1e6), "end_ms",
		                                   json_real((c->e - r->s) / 1e6), "own_cpu_ms",
		                                   own >= 0 ? json_real(own) : json_null()));
	}
	free(top);
	return a;
}

/* The run of median wall time stands for the set; every run's wall time beside it. */
static json_t *parallelism(const struct jr_set *s)
{
	const struct jr_model *m = s->run[jr_set_typical(s)];
	struct jr_par r;
	jr_parallel(m, &r);
	double *w = jr_set_walls(s);
	json_t *walls = json_array();
	for (int i = 0; i < s->n; i++)
		json_array_append_new(walls, json_real(w[i]));
	free(w);
	json_t *o = json_pack(
	    "{s:s, s:o, s:o, s:o, s:i, s:o, s:i, s:o, s:o}", "run", m->name, "wall_ms",
	    json_real(r.wall_ms), "sum_real_ms", json_real(r.sum_real_ms), "mean_running",
	    json_real(r.avg), "peak_running", r.peak, "critical_path_ms", json_real(r.crit_ms),
	    "critical_path_count", r.ncrit, "critical_path", path(m, &r), "wall_ms_runs", walls);
	jr_parallel_free(&r);
	return o;
}

static json_t *row(const struct jr_row *r)
{
	json_t *o =
	    json_pack("{s:s, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:s}", "command", r->name,
	              "n_a", r->na, "n_b", r->nb, "runs_a", r->ra, "runs_b", r->rb, "median_a",
	              real(r->med_a), "median_b", real(r->med_b), "ratio", real(r->ci.ratio),
	              "ci_low", real(r->ci.lo), "ci_high", real(r->ci.hi), "basis", r->basis);
	json_object_set_new(o, "p_value", real(r->p));
	json_object_set_new(o, "q_value", real(r->q));
	json_object_set_new(o, "significant", json_boolean(r->change != 0));
	json_object_set_new(o, "in_verdict", json_boolean(r->gated));
	json_object_set_new(o, "change",
	                    !r->tested      ? json_null()
	                    : r->change > 0 ? json_string("slower")
	                    : r->change < 0 ? json_string("faster")
	                                    : json_string("~"));
	return o;
}

static json_t *rows(const struct jr_row *r, int n)
{
	json_t *x = json_array();
	for (int k = 0; k < n; k++)
		json_array_append_new(x, row(&r[k]));
	return x;
}

static json_t *summary(const struct jr_cmp *c)
{
	return json_pack("{s:s, s:b, s:o, s:i, s:i, s:i, s:i}", "metric", jr_metric_name(c->metric),
	                 "paired", c->paired, "geomean_ratio", real(c->geomean), "regressions",
	                 c->regressions, "improvements", c->improvements, "tested", c->tested,
	                 "runs_needed", c->need);
}

static json_t *sets(const struct jr_set *a, const struct jr_set *b)
{
	json_t *x = json_array();
	for (int i = 0; i < (b ? 2 : 1); i++) {
		const struct jr_set *s = i ? b : a;
		json_array_append_new(x, json_pack("{s:s, s:i, s:i}", "name", s->name, "runs", s->n,
		                                   "cut_runs", s->cut));
	}
	return x;
}

int jr_json(FILE *f, const struct jr_set *a, const struct jr_set *b, const struct jr_cmp *c)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:{s:i, s:i, s:s}}", "sets", sets(a, b), "commands",
	                      commands(a), "parallelism", parallelism(a), "method", "resamples",
	                      JR_RESAMPLES, "min_runs", JR_MIN_UNITS, "interval",
	                      "95% percentile bootstrap of the ratio of medians, fixed seed");
	if (o && b)
		json_object_set_new(
		    json_object_get(o, "method"), "test",
		    json_string("two-sided Mann-Whitney U over runs (exact without "
		                "ties), Holm-corrected across the tree's and the "
		                "commands' rows; command lines a family of their own"));
	if (o && b) {
		json_object_set_new(o, "after",
		                    json_pack("{s:o, s:o}", "commands", commands(b), "parallelism",
		                              parallelism(b)));
		json_object_set_new(o, "tree", rows(c->row, c->ntree));
		json_object_set_new(o, "comparison", rows(c->row + c->ntree, c->n - c->ntree));
		json_object_set_new(o, "command_lines", rows(c->lines, c->nlines));
		json_object_set_new(o, "summary", summary(c));
	}
	if (!o || json_dumpf(o, f, JSON_INDENT(1) | JSON_REAL_PRECISION(6)) < 0) {
		json_decref(o);
		return -1;
	}
	fputc('\n', f);
	json_decref(o);
	return 0;
}
