/* SPDX-License-Identifier: MIT */
/*
 * critical.c - the critical path: the chain of processes the root's wall time
 * waited on.  Walk back from the root's exit; at each instant take the child
 * that exited last before it, descend into that child the same way, then go on
 * from that child's start.  What is left between children is the parent's own
 * time.  The result is a sequence of non-overlapping segments that covers the
 * root's span (docs/DESIGN.md, "The critical path").
 */
#include <stdlib.h>
#include <string.h>

#include "tools.h"

/* A process's interval: its own span, else (a writer seen only by its lines) that
 * of its children; 0 if none is known. */
static int interval(const struct jr_model *m, int i, int64_t *s, int64_t *e)
{
	if (jr_span(m, &m->p[i], s, e))
		return 1;
	int any = 0;
	for (int c = m->p[i].child; c >= 0; c = m->p[c].sibling) {
		int64_t cs, ce;
		if (!interval(m, c, &cs, &ce))
			continue;
		if (!any || cs < *s)
			*s = cs;
		if (!any || ce > *e)
			*e = ce;
		any = 1;
	}
	return any;
}

struct kid {
	int i;
	int64_t s, e;
};

static int by_end(const void *a, const void *b)
{
	const struct kid *x = a, *y = b;
	return x->e < y->e ? -1 : x->e > y->e;
}

/* One process being walked: its children by exit, and how far back we are. */
struct frame {
	int i; /* -1: the tree (the roots as children) */
	int64_t s, t;
	struct kid *k;
	int nk; /* children not yet passed, k[0..nk) */
};

static void push(const struct jr_model *m, struct frame *f, int i, int64_t s, int64_t t)
{
	int n = 0;
	for (int c = i >= 0 ? m->p[i].child : m->roots; c >= 0; c = m->p[c].sibling)
		n++;
	f->i = i;
	f->s = s;
	f->t = t;
	f->k = jr_xmalloc((n + 1) * sizeof *f->k);
	f->nk = 0;
	for (int c = i >= 0 ? m->p[i].child : m->roots; c >= 0; c = m->p[c].sibling) {
		struct kid x = {c, 0, 0};
		if (interval(m, c, &x.s, &x.e) && x.e > x.s)
			f->k[f->nk++] = x;
	}
	qsort(f->k, f->nk, sizeof *f->k, by_end);
}

static void add(struct jr_par *r, int *cap, int i, int64_t s, int64_t e)
{
	if (i < 0 || e <= s)
		return; /* the tree's own gaps are no process's */
	if (r->ncrit == *cap) {
		*cap = *cap ? 2 * *cap : 64;
		r->crit = jr_xrealloc(r->crit, *cap * sizeof *r->crit);
	}
	r->crit[r->ncrit++] = (struct jr_seg){i, s, e};
	r->crit_ms += (e - s) / 1e6;
}

void jr_critical(const struct jr_model *m, struct jr_par *r)
{
	int cap = 0, depth = 0, dcap = 16;
	struct frame *st = jr_xmalloc(dcap * sizeof *st);
	r->crit = NULL;
	r->ncrit = 0;
	r->crit_ms = 0;
	push(m, &st[depth++], -1, r->s, r->e);
	while (depth > 0) {
		struct frame *f = &st[depth - 1];
		while (f->nk > 0 && (f->k[f->nk - 1].e > f->t || f->k[f->nk - 1].e <= f->s))
			f->nk--; /* exited after the instant we are at, or before the window */
		if (f->nk == 0) {
			add(r, &cap, f->i, f->s, f->t);
			free(f->k);
			if (--depth > 0 && st[depth - 1].t > f->s)
				st[depth - 1].t =
				    f->s; /* the parent goes on from the child's start */
			continue;
		}
		struct kid c = f->k[--f->nk];
		add(r, &cap, f->i, c.e, f->t); /* the parent's own time after the child */
		f->t = c.e;
		int64_t s = c.s > f->s ? c.s : f->s;
		if (depth == dcap)
			st = jr_xrealloc(st, (dcap *= 2) * sizeof *st);
		push(m, &st[depth], c.i, s, c.e);
		depth++;
	}
	free(st);
	/* Found backwards: in time order. */
	for (int a = 0, b = r->ncrit - 1; a < b; a++, b--) {
		struct jr_seg x = r->crit[a];
		r->crit[a] = r->crit[b];
		r->crit[b] = x;
	}
}

struct share {
	const char *comm;
	double ms;
	int n;
	double cpu; /* own CPU of its processes, ms; < 0 unknown for one of them */
};

static int by_ms(const void *a, const void *b)
{
	const struct share *x = a, *y = b;
	return x->ms > y->ms ? -1 : x->ms < y->ms;
}

static const char *comm_of(const struct jr_model *m, int i)
{
	return m->p[i].comm[0] ? m->p[i].comm : "?";
}

/* The path's time per command (and its processes), the most first; returns how many. */
static int shares(const struct jr_model *m, const struct jr_par *r, struct share *sh)
{
	int n = 0;
	char *seen = jr_xmalloc(m->n + 1);
	memset(seen, 0, m->n + 1);
	for (int k = 0; k < r->ncrit; k++) {
		const char *c = comm_of(m, r->crit[k].proc);
		int j;
		for (j = 0; j < n && strcmp(sh[j].comm, c); j++)
			;
		if (j == n)
			sh[n++] = (struct share){c, 0, 0, 0};
		sh[j].ms += (r->crit[k].e - r->crit[k].s) / 1e6;
		if (!seen[r->crit[k].proc]) {
			double own = jr_self_cpu(&m->p[r->crit[k].proc]);
			sh[j].n++;
			sh[j].cpu = own < 0 || sh[j].cpu < 0 ? -1 : sh[j].cpu + own;
		}
		seen[r->crit[k].proc] = 1;
	}
	free(seen);
	qsort(sh, n, sizeof *sh, by_ms);
	return n;
}

void jr_critical_print(FILE *f, const struct jr_model *m, const struct jr_par *r,
                       const char *bullet)
{
	if (!r->ncrit) {
		fprintf(f, "%scritical path: none\n", bullet);
		return;
	}
	double all = r->crit_ms > 0 ? r->crit_ms : 1;
	fprintf(f, "%scritical path (what the wall time waited on): %.3f s\n", bullet,
	        r->crit_ms / 1e3);
	struct share *sh = jr_xmalloc((r->ncrit + 1) * sizeof *sh);
	int n = shares(m, r, sh);
	fprintf(f, "    by command (its share; processes; their own CPU):");
	for (int j = 0; j < n && j < 6; j++) {
		char cpu[32] = "?";
		if (sh[j].cpu >= 0)
			snprintf(cpu, sizeof cpu, "%.1f ms", sh[j].cpu);
		fprintf(f, "%s %s %.3f s (%.0f%%, %d, own cpu %s)", j ? "," : "", sh[j].comm,
		        sh[j].ms / 1e3, 100 * sh[j].ms / all, sh[j].n, cpu);
	}
	fprintf(f, "%s\n    in order:", n > 6 ? ", …" : "");
	free(sh);
	int shown = 0;
	for (int k = 0; k < r->ncrit; k++) {
		int64_t s = r->crit[k].s, e = r->crit[k].e;
		while (k + 1 < r->ncrit && r->crit[k + 1].proc == r->crit[k].proc)
			e = r->crit[++k].e;
		if (shown == 10) {
			fprintf(f, " → …");
			break;
		}
		fprintf(f, "%s %s %.1f ms", shown++ ? " →" : "", comm_of(m, r->crit[k].proc),
		        (e - s) / 1e6);
	}
	fputc('\n', f);
}
