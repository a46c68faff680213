/*
 * json.c - --json: the analysis as one JSON object (joinrun(1), JSON OUTPUT):
 * "commands" and "parallelism" of the first set, "after" with the second's,
 * and "comparison" (and "command_lines" when both have them) for two sets.
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

static json_t *path(const struct jr_model *m, const struct jr_par *r)
{
	json_t *a = json_array();
	for (int k = 0; k < r->ncrit; k++) {
		const struct jr_proc *p = &m->p[r->crit[k].proc];
		double own = jr_self_cpu(p);
		json_array_append_new(a, json_pack("{s:i, s:s, s:o, s:o, s:o}", "pid", p->pid,
		                                   "comm", p->comm[0] ? p->comm : "?", "start_ms",
		                                   json_real((r->crit[k].s - r->s) / 1e6), "end_ms",
		                                   json_real((r->crit[k].e - r->s) / 1e6),
		                                   "own_cpu_ms",
		                                   own >= 0 ? json_real(own) : json_null()));
	}
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
	json_t *o =
	    json_pack("{s:s, s:o, s:o, s:o, s:i, s:o, s:o, s:o}", "run", m->name, "wall_ms",
	              json_real(r.wall_ms), "sum_real_ms", json_real(r.sum_real_ms), "mean_running",
	              json_real(r.avg), "peak_running", r.peak, "critical_path_ms",
	              json_real(r.crit_ms), "critical_path", path(m, &r), "wall_ms_runs", walls);
	jr_parallel_free(&r);
	return o;
}

static json_t *rows(const struct jr_set *a, const struct jr_set *b, int key)
{
	int n;
	struct jr_row *r = jr_rows(a, b, key, &n);
	json_t *x = json_array();
	for (int k = 0; k < n; k++)
		json_array_append_new(
		    x, json_pack("{s:s, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:b, s:s}",
		                 "command", r[k].name, "n_a", r[k].na, "n_b", r[k].nb, "runs_a",
		                 r[k].ra, "runs_b", r[k].rb, "median_a", real(r[k].med_a),
		                 "median_b", real(r[k].med_b), "ratio", real(r[k].ci.ratio),
		                 "ci_low", real(r[k].ci.lo), "ci_high", real(r[k].ci.hi),
		                 "significant", r[k].ci.significant, "basis", r[k].basis));
	jr_rows_free(r, n);
	return x;
}

static json_t *sets(const struct jr_set *a, const struct jr_set *b)
{
	json_t *x = json_array();
	for (int i = 0; i < (b ? 2 : 1); i++) {
		const struct jr_set *s = i ? b : a;
		json_array_append_new(x, json_pack("{s:s, s:i}", "name", s->name, "runs", s->n));
	}
	return x;
}

int jr_json(FILE *f, const struct jr_set *a, const struct jr_set *b)
{
	json_t *o = json_pack("{s:o, s:o, s:o, s:{s:i, s:i, s:s}}", "sets", sets(a, b), "commands",
	                      commands(a), "parallelism", parallelism(a), "method", "resamples",
	                      JR_RESAMPLES, "min_runs", JR_MIN_UNITS, "interval",
	                      "95% percentile bootstrap of the ratio of medians, fixed seed");
	if (o && b) {
		json_object_set_new(o, "after",
		                    json_pack("{s:o, s:o}", "commands", commands(b), "parallelism",
		                              parallelism(b)));
		json_object_set_new(o, "comparison", rows(a, b, JR_BY_COMM));
		json_object_set_new(o, "command_lines", rows(a, b, JR_BY_ARGV));
	}
	if (!o || json_dumpf(o, f, JSON_INDENT(1) | JSON_REAL_PRECISION(6)) < 0) {
		json_decref(o);
		return -1;
	}
	fputc('\n', f);
	json_decref(o);
	return 0;
}
