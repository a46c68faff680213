/* SPDX-License-Identifier: MIT */
/*
 * model.c - a model's pending events (logread.c) into its processes.  Lines of
 * one tree come from many processes appending to one file, so they are first
 * ordered by t_ns and only then applied, each kind by its own function: a fork
 * makes a process, exit, zombie, report and reap lines complete the latest
 * process of that pid, and the writer of a line ("pid") is the parent of its
 * "child".  Also the split of a log of several runs into one model each.
 */
#include <stdlib.h>
#include <string.h>

#include "ev.h"

/* pid -> index of the latest process with that pid. */
static int *slot(struct jr_model *m, int pid)
{
	unsigned h = (unsigned)pid * 2654435761u;
	for (unsigned i = h & (m->hcap - 1);; i = (i + 1) & (m->hcap - 1))
		if (m->hash[i] < 0 || m->p[m->hash[i]].pid == pid)
			return &m->hash[i];
}

static int latest(struct jr_model *m, int pid)
{
	return m->hcap ? *slot(m, pid) : -1;
}

/* The table of pids kept at most half full, so that a probe ends soon. */
static void grow(struct jr_model *m)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->p = jr_xrealloc(m->p, m->cap * sizeof *m->p);
	}
	if (2 * (m->n + 1) > m->hcap) {
		free(m->hash);
		m->hcap = m->hcap ? 2 * m->hcap : 128;
		m->hash = jr_xmalloc(m->hcap * sizeof *m->hash);
		for (int i = 0; i < m->hcap; i++)
			m->hash[i] = -1;
		for (int i = 0; i < m->n; i++)
			*slot(m, m->p[i].pid) = i;
	}
}

static int new_proc(struct jr_model *m, int pid, int64_t t)
{
	grow(m);
	struct jr_proc *p = &m->p[m->n];
	memset(p, 0, sizeof *p);
	p->pid = pid;
	p->parent = p->child = p->sibling = -1;
	p->real_ms = p->user_ms = p->sys_ms = p->late_ms = -1;
	p->self_user_ms = p->self_sys_ms = -1;
	p->self_maxrss_kb = -1;
#define X(member, ru) p->member = -1;
	JOIN_RUSAGE_FIELDS(X)
#undef X
	p->seen_ns = t;
	*slot(m, pid) = m->n;
	return m->n++;
}

/* The process a line about child c talks of: the latest of that pid unless it
 * is gone (reaped, or left a zombie at its parent's exit); else a new one. */
static int about(struct jr_model *m, const struct jr_ev *e)
{
	int i = latest(m, e->child);
	/* A second fork of a pid not reaped in between: the first one's end was not logged. */
	/* A zombie left at its parent's exit is the orphan that joinrun reaps later. */
	int left = i >= 0 && m->p[i].zombie_end && !(e->kind == EV_REAP && e->orphan);
	if (i >= 0 && !m->p[i].has_reap && !left && !(e->kind == EV_FORK && m->p[i].has_fork))
		return i;
	i = new_proc(m, e->child, e->t);
	m->p[i].ppid = e->pid;
	int w = latest(m, e->pid);
	if (w >= 0 && w != i && !m->p[w].has_reap)
		m->p[i].parent = w;
	return i;
}

/* The writer of a line: the latest process of that pid still alive. */
static void writer(struct jr_model *m, const struct jr_ev *e)
{
	if (e->pid == 0 || e->pid == m->joinrun_pid) /* < 0: local to a namespace */
		return;
	int w = latest(m, e->pid);
	if (w < 0 || m->p[w].has_reap) {
		w = new_proc(m, e->pid, e->t);
		m->p[w].writer = 1;
	}
	if (e->comm[0] && !m->p[w].has_reap && !m->p[w].has_status)
		jr_copy_str(m->p[w].comm, JR_COMM, e->comm);
}

static void status(struct jr_proc *p, const struct jr_ev *e)
{
	if (!e->has_status)
		return;
	p->has_status = 1;
	p->code = e->code;
	p->sig = e->sig;
	p->core = e->core;
}

/* The writer's command line: the last exec of the process that runs now. */
static void exec_of(struct jr_model *m, struct jr_ev *e)
{
	int w = latest(m, e->pid);
	if (w < 0 || m->p[w].has_reap)
		return;
	free(m->p[w].argv);
	m->p[w].argv = e->argv;
	m->p[w].exec_ns = e->t;
	m->p[w].argv_truncated = e->argv_truncated;
	m->p[w].nargs = e->nargs;
	e->argv = NULL;
}

/* Its parent is the writer, unless joinrun wrote it: then it is the command, a root. */
static void apply_fork(struct jr_model *m, int i, const struct jr_ev *e)
{
	struct jr_proc *p = &m->p[i];
	p->has_fork = 1;
	p->fork_ns = e->t;
	p->ppid = e->pid;
	jr_copy_str(p->how, sizeof p->how, e->how);
	if (e->pid == m->joinrun_pid) {
		p->root = 1;
		p->parent = -1;
	} else {
		int w = latest(m, e->pid);
		p->parent = w >= 0 && w != i && !m->p[w].has_reap ? w : -1;
	}
}

static void apply_exit(struct jr_model *m, int i, const struct jr_ev *e)
{
	struct jr_proc *p = &m->p[i];
	status(p, e);
	p->has_exit = 1;
	p->exit_ns = e->t;
	p->exit_exact = e->exact != 0;
	p->exit_of_ms = 0;
}

/* Live, from the collector: its age is since the exit. */
static void apply_zombie(struct jr_model *m, int i, const struct jr_ev *e)
{
	struct jr_proc *p = &m->p[i];
	p->zombies++;
	if (!p->has_exit && e->age >= 0) {
		p->has_exit = p->exit_exact = p->exit_of_ms = 1;
		p->exit_ns = e->t - (int64_t)(e->age * 1e6);
	}
}

/* The exit report: the exit only when it says it (watched). */
static void apply_unreaped(struct jr_model *m, int i, const struct jr_ev *e)
{
	struct jr_proc *p = &m->p[i];
	p->zombie_end = 1;
	p->gone_ns = e->t;
	if (!p->has_fork && e->fork_at > 0)
		p->has_fork = 1, p->fork_ns = e->fork_at;
	if (!p->has_exit && e->exit_at > 0) {
		p->has_exit = 1;
		p->exit_exact = 1;
		p->exit_ns = e->exit_at;
	}
}

/* Running at its parent's exit: a fork not logged is the report's, or its age's. */
static void apply_running(struct jr_model *m, int i, const struct jr_ev *e)
{
	struct jr_proc *p = &m->p[i];
	p->running_end = 1;
	if (!p->has_fork && e->fork_at > 0)
		p->has_fork = 1, p->fork_ns = e->fork_at;
	else if (!p->has_fork && e->age >= 0) {
		p->has_fork = p->fork_approx = 1;
		p->fork_ns = e->t - (int64_t)(e->age * 1e6);
	}
}

/* The reap's figures, as they were measured. */
static void reap_figures(struct jr_proc *p, const struct jr_ev *e)
{
	if (e->real >= 0)
		p->real_ms = e->real;
	p->real_ns = e->real_exact_ns;
	p->user_ms = e->user;
	p->sys_ms = e->sys;
	p->self_user_ms = e->self_user;
	p->self_sys_ms = e->self_sys;
	p->self_maxrss_kb = e->self_rss;
	p->orphan = e->orphan;
	p->opaque = e->opaque;
	p->late_ms = e->late;
	p->untracked = e->tracked == 0;
#define X(member, ru) p->member = e->member;
	JOIN_RUSAGE_FIELDS(X)
#undef X
}

/* An exit not known exactly: from the reap's lateness or real time when they are
 * exact, else the reap itself as an upper bound; a fork not logged from real time. */
static void reap_instants(struct jr_proc *p, const struct jr_ev *e)
{
	if (!p->has_exit || !p->exit_exact) {
		p->has_exit = 1;
		p->exit_of_ms = e->exact > 0; /* from a figure rounded to the ms */
		if (e->exact > 0 && e->late >= 0) {
			p->exit_ns = e->t - (int64_t)(e->late * 1e6);
			p->exit_exact = 1;
		} else if (e->exact > 0 && p->has_fork && e->real >= 0) {
			p->exit_ns = p->fork_ns + (int64_t)(e->real * 1e6);
			p->exit_exact = 1;
		} else {
			p->exit_ns = e->t; /* an upper bound */
			p->exit_exact = 0;
		}
	}
	if (!p->has_fork && e->real >= 0) {
		p->has_fork = p->fork_approx = 1;
		p->fork_ns = p->exit_ns - (int64_t)(e->real * 1e6);
	}
}

static void apply_reap(struct jr_model *m, int i, const struct jr_ev *e)
{
	struct jr_proc *p = &m->p[i];
	status(p, e);
	p->has_reap = 1;
	p->reap_ns = e->t;
	p->reaper = e->pid;
	if (e->call[0])
		jr_copy_str(p->call, sizeof p->call, e->call);
	reap_figures(p, e);
	reap_instants(p, e);
}

/* What each kind of event about a child does to it (process i); exec is the writer's. */
static void (*const appliers[EV_KINDS])(struct jr_model *m, int i, const struct jr_ev *e) = {
    [EV_FORK] = apply_fork,     [EV_EXIT] = apply_exit,       [EV_REAP] = apply_reap,
    [EV_ZOMBIE] = apply_zombie, [EV_RUNNING] = apply_running, [EV_UNREAPED] = apply_unreaped,
};

static void apply(struct jr_model *m, struct jr_ev *e)
{
	if (e->kind == EV_FORK && !strcmp(e->how, "joinrun"))
		m->joinrun_pid = e->pid;
	writer(m, e);
	if (e->kind == EV_EXEC) {
		exec_of(m, e);
		return;
	}
	int i = about(m, e);
	if (e->child_comm[0])
		jr_copy_str(m->p[i].comm, JR_COMM, e->child_comm);
	m->p[i].writer = 0; /* a line about it: more than the writer of lines */
	appliers[e->kind](m, i, e);
}

static int by_time(const void *a, const void *b)
{
	const struct jr_ev *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Is pending event i joinrun's fork of the command it ran: the start of a run? */
static int run_start(const struct jr_model *m, long i)
{
	return m->ev[i].kind == EV_FORK && !strcmp(m->ev[i].how, "joinrun");
}

/* A model of the pending events [from, to) of m, named as run k. */
static struct jr_model *run_of(struct jr_model *m, int k, long from, long to)
{
	char *name;
	if (asprintf(&name, "%s (run %d)", m->name, k + 1) < 0)
		name = NULL;
	struct jr_model *r = jr_xmalloc(sizeof *r);
	jr_model_init(r, name ? name : m->name);
	free(name);
	r->capev = r->nev = to - from;
	r->ev = jr_xmalloc(r->nev * sizeof *r->ev);
	memcpy(r->ev, m->ev + from, r->nev * sizeof *r->ev); /* argv moves */
	r->events = r->nev;
	return r;
}

int jr_model_split(struct jr_model *m, struct jr_model ***out)
{
	int n = 0;
	if (m->nev > 1)
		qsort(m->ev, m->nev, sizeof *m->ev, by_time);
	for (long i = 1; i < m->nev; i++)
		n += run_start(m, i);
	if (!n) {
		*out = NULL;
		return 1;
	}
	struct jr_model **r = jr_xmalloc((n + 1) * sizeof *r);
	long from = 0;
	for (int k = 0; k <= n; k++) {
		long to = from + 1;
		while (to < m->nev && !run_start(m, to))
			to++;
		r[k] = run_of(m, k, from, to);
		from = to;
	}
	r[0]->lines = m->lines;
	r[0]->malformed = m->malformed;
	m->nev = 0;
	*out = r;
	return n + 1;
}

/* First and last instant: of the lines, and the first of a fork or exit derived
 * before them (from a reap's real time or a report's age). */
static void bounds(struct jr_model *m)
{
	m->t0 = m->t1 = 0;
	for (long i = 0; i < m->nev; i++) {
		if (i == 0 || m->ev[i].t < m->t0)
			m->t0 = m->ev[i].t;
		if (i == 0 || m->ev[i].t > m->t1)
			m->t1 = m->ev[i].t;
	}
	for (int i = 0; i < m->n; i++) {
		if (m->p[i].has_fork && m->p[i].fork_ns < m->t0)
			m->t0 = m->p[i].fork_ns;
		if (m->p[i].has_exit && m->p[i].exit_ns < m->t0)
			m->t0 = m->p[i].exit_ns;
	}
}

void jr_model_build(struct jr_model *m)
{
	if (m->nev > 1)
		qsort(m->ev, m->nev, sizeof *m->ev, by_time);
	for (long i = 0; i < m->nev; i++)
		apply(m, &m->ev[i]);
	for (long i = 0; i < m->nev; i++)
		free(m->ev[i].argv);
	bounds(m);
	free(m->ev);
	m->ev = NULL;
	m->nev = m->capev = 0;
	jr_link_tree(m);
}
