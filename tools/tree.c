/* SPDX-License-Identifier: MIT */
/*
 * tree.c - the tree of a model whose events are applied (model.c): each
 * process's children linked as siblings in order of their start, the roots
 * likewise, own CPU times where the log has none, depths, and the tree's
 * depth-first order for the views.
 */
#include <stdlib.h>

#include "ev.h"

static int64_t start_of(const struct jr_proc *p)
{
	return p->has_fork ? p->fork_ns : p->has_exit ? p->exit_ns : p->seen_ns;
}

static const struct jr_model *sort_model;
static int by_start(const void *a, const void *b)
{
	const struct jr_proc *x = &sort_model->p[*(const int *)a];
	const struct jr_proc *y = &sort_model->p[*(const int *)b];
	int64_t s = start_of(x), t = start_of(y);
	if (s != t)
		return s < t ? -1 : 1;
	return *(const int *)a - *(const int *)b;
}

/* A log without own times (written before they existed, or on the direct path, where
 * no one process sees the tree): the collector's subtraction, done here from the
 * tree, when every child the process reaped has its inclusive times. */
static void own_times(struct jr_model *m)
{
	for (int i = 0; i < m->n; i++) {
		struct jr_proc *p = &m->p[i];
		if (!p->has_reap || p->opaque || p->self_user_ms >= 0 || p->user_ms < 0 ||
		    p->sys_ms < 0)
			continue;
		double u = 0, s = 0;
		int known = 1;
		for (int c = p->child; c >= 0 && known; c = m->p[c].sibling) {
			const struct jr_proc *q = &m->p[c];
			if (!q->has_reap || q->orphan)
				continue; /* never reaped by p: not in its times */
			known = q->user_ms >= 0 && q->sys_ms >= 0;
			u += q->user_ms;
			s += q->sys_ms;
		}
		if (!known)
			continue;
		p->self_user_ms = p->user_ms > u ? p->user_ms - u : 0;
		p->self_sys_ms = p->sys_ms > s ? p->sys_ms - s : 0;
	}
}

/* Siblings in order of their start: each process appended to its parent's chain,
 * or to the roots' when it has none. */
static void link_siblings(struct jr_model *m)
{
	int *ord = jr_xmalloc((m->n + 1) * sizeof *ord),
	    *tail = jr_xmalloc((m->n + 1) * sizeof *tail);
	for (int i = 0; i < m->n; i++) {
		ord[i] = i;
		tail[i] = -1;
		m->p[i].child = m->p[i].sibling = -1;
	}
	sort_model = m;
	qsort(ord, m->n, sizeof *ord, by_start);
	int last_root = -1;
	m->roots = -1;
	m->nroots = 0;
	for (int k = 0; k < m->n; k++) {
		int i = ord[k], par = m->p[i].parent;
		if (par >= 0) {
			if (tail[par] < 0)
				m->p[par].child = i;
			else
				m->p[tail[par]].sibling = i;
			tail[par] = i;
		} else {
			if (last_root < 0)
				m->roots = i;
			else
				m->p[last_root].sibling = i;
			last_root = i;
			m->nroots++;
		}
	}
	free(tail);
	free(ord);
}

void jr_link_tree(struct jr_model *m)
{
	link_siblings(m);
	own_times(m);
	int n;
	int *order = jr_tree_order(m, &n);
	for (int k = 0; k < n; k++) { /* a parent comes before its children */
		struct jr_proc *p = &m->p[order[k]];
		p->depth = p->parent >= 0 ? m->p[p->parent].depth + 1 : 0;
	}
	free(order);
}

/* The entries [from, to) of a stack reversed, so that the first of a chain pops first. */
static void reverse(int *stack, int from, int to)
{
	for (int a = from, b = to - 1; a < b; a++, b--) {
		int t = stack[a];
		stack[a] = stack[b];
		stack[b] = t;
	}
}

int *jr_tree_order(const struct jr_model *m, int *n)
{
	int *out = jr_xmalloc((m->n + 1) * sizeof *out), k = 0;
	int *stack = jr_xmalloc((m->n + 1) * sizeof *stack), sp = 0;
	/* Iterative preorder: a recursion as deep as the tree could overflow the stack. */
	for (int c = m->roots; c >= 0 && sp < m->n; c = m->p[c].sibling)
		stack[sp++] = c;
	reverse(stack, 0, sp);
	while (sp > 0 && k < m->n) {
		int i = stack[--sp];
		out[k++] = i;
		int base = sp;
		for (int c = m->p[i].child; c >= 0 && sp < m->n; c = m->p[c].sibling)
			stack[sp++] = c;
		reverse(stack, base, sp);
	}
	free(stack);
	*n = k;
	return out;
}
