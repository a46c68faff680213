/* SPDX-License-Identifier: MIT */
/*
 * parallel.c - the tree's parallelism: wall time, sum of real times, how
 * many processes ran at once (on average and at the peak), the critical
 * path (critical.c) and the longest serial stretches.
 *
 * A process counts as running from its fork to its exit, except while a
 * child of its own is alive: a shell or make waiting for its job is not
 * running, its job is.  So one job at a time under `make` is 1, not 2.
 */
#include <stdlib.h>
#include <string.h>

#include "tools.h"

struct mark {
	int64_t t;
	int d;   /* +1 start, -1 end */
	int who; /* index of the process */
};

static int by_t(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->d - y->d; /* ends first: back-to-back jobs do not overlap */
}

struct iv {
	int64_t s, e;
};

static int by_s(const void *a, const void *b)
{
	const struct iv *x = a, *y = b;
	return x->s < y->s ? -1 : x->s > y->s;
}

/* Appends to *mk the intervals where p runs: its span minus its children's. */
static void busy(const struct jr_model *m, int i, struct mark **mk, int *n, int *cap,
                 struct iv **kid, int *kcap)
{
	int64_t s, e;
	if (!jr_span(m, &m->p[i], &s, &e) || e <= s)
		return;
	int k = 0;
	for (int c = m->p[i].child; c >= 0; c = m->p[c].sibling) {
		int64_t cs, ce;
		if (!jr_span(m, &m->p[c], &cs, &ce))
			continue;
		if (k == *kcap) {
			*kcap = *kcap ? 2 * *kcap : 16;
			*kid = jr_xrealloc(*kid, *kcap * sizeof **kid);
		}
		(*kid)[k++] = (struct iv){cs, ce};
	}
	if (k > 1)
		qsort(*kid, k, sizeof **kid, by_s);
	int64_t at = s;
	for (int j = 0; j <= k; j++) {
		int64_t cs = j < k ? (*kid)[j].s : e, ce = j < k ? (*kid)[j].e : e;
		if (cs > e)
			cs = e;
		if (cs > at) {
			if (*n + 2 > *cap) {
				*cap = *cap ? 2 * *cap : 256;
				*mk = jr_xrealloc(*mk, *cap * sizeof **mk);
			}
			(*mk)[(*n)++] = (struct mark){at, 1, i};
			(*mk)[(*n)++] = (struct mark){cs, -1, i};
		}
		if (ce > at)
			at = ce;
	}
}

/* Adds a segment of one process running to the current stretch's tally. */
struct tally {
	const char *comm;
	int64_t d;
};

static void close_stretch(struct jr_par *r, int64_t s, int64_t e, struct tally *tl, int nt)
{
	if (e <= s || nt == 0)
		return;
	int best = 0;
	for (int i = 1; i < nt; i++)
		if (tl[i].d > tl[best].d)
			best = i;
	struct jr_stretch x = {.s = s, .e = e, .others = nt - 1};
	snprintf(x.comm, sizeof x.comm, "%s", tl[best].comm);
	int at = r->nserial;
	while (at > 0 && r->serial[at - 1].e - r->serial[at - 1].s < e - s)
		at--;
	if (at >= 3)
		return;
	int last = r->nserial < 3 ? r->nserial : 2;
	for (int i = last; i > at; i--)
		r->serial[i] = r->serial[i - 1];
	r->serial[at] = x;
	if (r->nserial < 3)
		r->nserial++;
}

static void stretches(const struct jr_model *m, struct jr_par *r, const struct mark *mk, int n)
{
	/* Sweep again, knowing who runs when exactly one does (the sum of ids). */
	int count = 0;
	int64_t ids = 0, seg = 0, st = 0;
	int in = 0, who = -1, nt = 0;
	struct tally *tl = jr_xmalloc((m->n + 1) * sizeof *tl);
	for (int i = 0; i < n;) {
		int64_t t = mk[i].t;
		for (; i < n && mk[i].t == t; i++) {
			count += mk[i].d;
			ids += mk[i].d * (int64_t)(mk[i].who + 1);
		}
		if (in && who >= 0) { /* the segment [seg, t] of who */
			const char *c = m->p[who].comm[0] ? m->p[who].comm : "?";
			int k;
			for (k = 0; k < nt && strcmp(tl[k].comm, c); k++)
				;
			if (k == nt)
				tl[nt++] = (struct tally){c, 0};
			tl[k].d += t - seg;
		}
		if (count == 1) {
			if (!in) {
				in = 1;
				st = t;
				nt = 0;
			}
			who = (int)(ids - 1);
			seg = t;
		} else if (in) {
			close_stretch(r, st, t, tl, nt);
			in = 0;
			who = -1;
		}
	}
	free(tl);
}

void jr_parallel(const struct jr_model *m, struct jr_par *r)
{
	memset(r, 0, sizeof *r);
	struct mark *mk = NULL;
	struct iv *kid = NULL;
	int n = 0, cap = 0, kcap = 0, any = 0;
	for (int i = 0; i < m->n; i++) {
		const struct jr_proc *p = &m->p[i];
		int64_t s, e;
		if (jr_span(m, p, &s, &e)) {
			if (!any || s < r->s)
				r->s = s;
			if (!any || e > r->e)
				r->e = e;
			any = 1;
			if (p->has_reap && p->reap_ns > r->e)
				r->e = p->reap_ns;
		}
		if (jr_done(p) && jr_real(p) >= 0)
			r->sum_real_ms += jr_real(p);
		busy(m, i, &mk, &n, &cap, &kid, &kcap);
	}
	free(kid);
	r->wall_ms = any ? (r->e - r->s) / 1e6 : 0;
	if (n > 1)
		qsort(mk, n, sizeof *mk, by_t);
	r->step = jr_xmalloc((n + 2) * sizeof *r->step);
	int count = 0;
	double area = 0;
	int64_t prev = r->s;
	for (int i = 0; i < n;) {
		int64_t t = mk[i].t;
		area += (double)count * (double)(t - prev);
		for (; i < n && mk[i].t == t; i++)
			count += mk[i].d;
		if (count > r->peak)
			r->peak = count;
		if (!r->nstep || r->step[r->nstep - 1].n != count)
			r->step[r->nstep++] = (struct jr_step){t, count};
		prev = t;
	}
	r->avg = r->e > r->s ? area / (double)(r->e - r->s) : 0;
	stretches(m, r, mk, n);
	free(mk);
	jr_critical(m, r);
}

void jr_parallel_free(struct jr_par *r)
{
	free(r->step);
	free(r->crit);
	memset(r, 0, sizeof *r);
}

/* Seconds with three decimals. */
static void sec(FILE *f, double ms)
{
	fprintf(f, "%.3f s", ms / 1e3);
}

void jr_parallel_print(FILE *f, const struct jr_model *m, const struct jr_par *r, int markdown)
{
	const char *b = markdown ? "- " : "  ";
	fprintf(f, markdown ? "**parallelism**\n\n" : "parallelism\n");
	fprintf(f, "%swall time: ", b);
	sec(f, r->wall_ms);
	fprintf(f, " (first fork to last exit or reap)\n%ssum of real times: ", b);
	sec(f, r->sum_real_ms);
	fprintf(f, "\n%srunning at once: %.2f on average, %d at the peak\n", b, r->avg, r->peak);
	jr_critical_print(f, m, r, b);
	fprintf(f, "%sonly one running:", b);
	if (!r->nserial)
		fprintf(f, " never");
	fputc('\n', f);
	for (int k = 0; k < r->nserial; k++) {
		const struct jr_stretch *x = &r->serial[k];
		fprintf(f, markdown ? "  - " : "    ");
		sec(f, (x->e - x->s) / 1e6);
		fprintf(f, " from ");
		sec(f, (x->s - r->s) / 1e6);
		fprintf(f, ": %s", x->comm);
		if (x->others)
			fprintf(f, " (and %d other command%s)", x->others,
			        x->others > 1 ? "s" : "");
		fputc('\n', f);
	}
}
