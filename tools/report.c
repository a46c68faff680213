/*
 * report.c - two saved logs side by side, the before/after view of a
 * benchmark: per command, count, real mean ± standard deviation, min, max
 * and max RSS of each, and the ratio of the means (LOG2/LOG1); then the two
 * trees' parallelism with the same ratio.
 */
#include <string.h>

#include "tools.h"

static const struct jr_group *find(const struct jr_group *g, int n, const char *name)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(g[k].name, name))
			return &g[k];
	return NULL;
}

static void cells(struct jr_table *t, const struct jr_group *g)
{
	char b[2][32];
	if (!g) {
		for (int c = 0; c < 5; c++)
			jr_table_add(t, "-");
		return;
	}
	jr_table_add(t, "%d", g->n);
	if (g->nreal)
		jr_table_add(t, "%.1f ± %.1f", g->mean, g->sd);
	else
		jr_table_add(t, "-");
	jr_table_add(t, "%s", jr_ms(b[0], g->min));
	jr_table_add(t, "%s", jr_ms(b[1], g->max));
	if (g->maxrss_kb >= 0)
		jr_table_add(t, "%.1f", g->maxrss_kb / 1024.0);
	else
		jr_table_add(t, "-");
}

static void ratio(struct jr_table *t, double a, double b)
{
	if (a > 0 && b >= 0)
		jr_table_add(t, "%.2f", b / a);
	else
		jr_table_add(t, "-");
}

static void row(struct jr_table *t, const char *what, double a, double b, int prec,
                const char *unit)
{
	jr_table_add(t, "%s", what);
	jr_table_add(t, "%.*f%s", prec, a, unit);
	jr_table_add(t, "%.*f%s", prec, b, unit);
	ratio(t, a, b);
}

void jr_compare(FILE *f, const struct jr_model *a, const struct jr_model *b, int markdown)
{
	int na, nb;
	struct jr_group *ga = jr_groups(a, &na), *gb = jr_groups(b, &nb);
	if (markdown)
		fprintf(f, "**1**: %s, **2**: %s; times in ms, RSS in MiB\n\n", a->name, b->name);
	else
		fprintf(f, "joinrun: 1: %s, 2: %s; times in ms, RSS in MiB\n", a->name, b->name);
	struct jr_table t;
	jr_table_init(&t, 12);
	static const char *const head[12] = {
	    "command", "n 1",      "real 1 mean ± sd", "min 1", "max 1",
	    "rss 1",   "n 2",      "real 2 mean ± sd", "min 2", "max 2",
	    "rss 2",   "ratio 2/1"};
	for (int c = 0; c < 12; c++)
		jr_table_add(&t, "%s", head[c]);
	for (int pass = 0; pass < 2; pass++) {
		/* Commands of log 1 in its order, then those only in log 2. */
		const struct jr_group *g = pass ? gb : ga;
		int n = pass ? nb : na;
		for (int k = 0; k < n; k++) {
			const struct jr_group *x = pass ? find(ga, na, g[k].name) : &g[k];
			const struct jr_group *y = pass ? &g[k] : find(gb, nb, g[k].name);
			if (pass && x)
				continue;
			jr_table_add(&t, "%s", g[k].name);
			cells(&t, x);
			cells(&t, y);
			ratio(&t, x && x->nreal ? x->mean : -1, y && y->nreal ? y->mean : -1);
		}
	}
	jr_table_print(f, &t, markdown);
	jr_table_free(&t);
	jr_groups_free(ga, na);
	jr_groups_free(gb, nb);

	struct jr_par pa, pb;
	jr_parallel(a, &pa);
	jr_parallel(b, &pb);
	fprintf(f, markdown ? "\n**parallelism**\n\n" : "\nparallelism\n");
	jr_table_init(&t, 4);
	jr_table_add(&t, "%s", markdown ? "" : " ");
	jr_table_add(&t, "1");
	jr_table_add(&t, "2");
	jr_table_add(&t, "ratio 2/1");
	row(&t, "wall time", pa.wall_ms / 1e3, pb.wall_ms / 1e3, 3, " s");
	row(&t, "sum of real times", pa.sum_real_ms / 1e3, pb.sum_real_ms / 1e3, 3, " s");
	row(&t, "average running", pa.avg, pb.avg, 2, "");
	row(&t, "peak running", pa.peak, pb.peak, 0, "");
	row(&t, "critical path", pa.crit_ms / 1e3, pb.crit_ms / 1e3, 3, " s");
	double sa = pa.nserial ? (pa.serial[0].e - pa.serial[0].s) / 1e9 : 0;
	double sb = pb.nserial ? (pb.serial[0].e - pb.serial[0].s) / 1e9 : 0;
	row(&t, "longest with one running", sa, sb, 3, " s");
	jr_table_print(f, &t, markdown);
	jr_table_free(&t);
	jr_parallel_free(&pa);
	jr_parallel_free(&pb);
}
