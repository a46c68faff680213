/* SPDX-License-Identifier: MIT */
/*
 * events.c - loads libjoin's JSON lines (read with jansson) into the model of
 * events.h.  Lines of one tree come from many processes appending to one
 * file, so they are first ordered by t_ns and only then applied: a fork
 * line makes a process, exit/zombie/reap lines complete the latest process
 * of that pid, and the writer of a line ("pid") is the parent of its "child".
 */
#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

enum { EV_FORK, EV_EXIT, EV_REAP, EV_ZOMBIE, EV_RUNNING, EV_UNREAPED, EV_EXEC };

struct jr_ev {
	int64_t t;
	long seq;
	int kind, pid, child;
	char comm[JR_COMM], child_comm[JR_COMM];
	char how[16], call[16];
	int has_status, code, sig, core, exact, tracked, approx;
	double real, user, sys, late, age; /* < 0: unknown */
	int64_t fork_at, exit_at;          /* a report's entry: its fork and exit, -1 unknown */
	int real_exact_ns;                 /* real came from real_ns, not rounded ms */
	double self_user, self_sys;
	long self_rss;
	int orphan, opaque;
	char *argv;                /* exec: the arguments joined by spaces (malloc) */
	int argv_truncated, nargs; /* after argv's NUL: the nargs arguments, each NUL-ended */
#define X(member, ru) long member;
	JOIN_RUSAGE_FIELDS(X)
#undef X
};

#define MAX_MESSAGES 20

void *jr_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "joinrun: out of memory\n");
		exit(125);
	}
	return p;
}

void *jr_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "joinrun: out of memory\n");
		exit(125);
	}
	return p;
}

void jr_model_init(struct jr_model *m, const char *name)
{
	memset(m, 0, sizeof *m);
	m->name = jr_xmalloc(strlen(name) + 1);
	strcpy(m->name, name);
	jr_sanitise(m->name); /* a command's path, printed as the table's title */
	m->roots = -1;
	m->joinrun_pid = -1;
}

void jr_model_free(struct jr_model *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->p[i].argv);
	for (long i = 0; i < m->nev; i++)
		free(m->ev[i].argv);
	free(m->p);
	free(m->ev);
	free(m->hash);
	free(m->name);
	memset(m, 0, sizeof *m);
}

/* Control characters become '?', as the await record shows a name (and ps(1)):
 * C0 and DEL, and the C1 controls U+0080..U+009F (0xC2 0x80..0x9F in UTF-8),
 * which a terminal may take as an escape.  A name never starts an escape
 * sequence on the terminal nor splits a row of a table. */
void jr_sanitise(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;
	for (; *r; r++) {
		if (r[0] == 0xC2 && r[1] >= 0x80 && r[1] <= 0x9F) {
			*w++ = '?';
			r++;
		} else
			*w++ = *r < 0x20 || *r == 0x7f ? '?' : *r;
	}
	*w = 0;
}

/* Copies at most cap-1 bytes of s, not cutting a UTF-8 sequence, sanitised. */
static void copy_str(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = 0;
	jr_sanitise(dst);
}

static void get_str(json_t *o, const char *key, char *dst, size_t cap)
{
	json_t *v = json_object_get(o, key);
	if (json_is_string(v))
		copy_str(dst, cap, json_string_value(v));
}

/* A number (or -1 when absent, null or not a number). */
static double get_num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_number(v) ? json_number_value(v) : -1;
}

/* key's number times scale, else the number under old (unscaled), else -1. */
static double scaled(json_t *o, const char *key, double scale, const char *old)
{
	double v = get_num(o, key);
	if (v >= 0)
		return v * scale;
	return old ? get_num(o, old) : -1;
}

/* The "opaque" reasons, by enum join_opaque (shim/base/record.h). */
static const char *const opaque_names[4] = {"", "static", "setuid", "no-preload"};

const char *jr_opaque_name(int why)
{
	return why > 0 && why < 4 ? opaque_names[why] : "";
}

static long get_long(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (json_is_integer(v))
		return (long)json_integer_value(v);
	return json_is_real(v) ? (long)json_real_value(v) : -1;
}

/* -1 absent, else 0 or 1. */
static int get_bool(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	return -1;
}

static struct jr_ev *new_ev(struct jr_model *m)
{
	if (m->nev == m->capev) {
		m->capev = m->capev ? 2 * m->capev : 256;
		m->ev = jr_xrealloc(m->ev, m->capev * sizeof *m->ev);
	}
	struct jr_ev *e = &m->ev[m->nev];
	memset(e, 0, sizeof *e);
	e->seq = m->nev++;
	e->exact = e->tracked = e->approx = -1;
	e->real = e->user = e->sys = e->late = e->age = e->self_user = e->self_sys = -1;
	e->self_rss = -1;
	e->fork_at = e->exit_at = -1;
#define X(member, ru) e->member = -1;
	JOIN_RUSAGE_FIELDS(X)
#undef X
	return e;
}

static int bad(struct jr_model *m, const char *path, long line, const char *what)
{
	m->malformed++;
	if (m->malformed <= MAX_MESSAGES)
		fprintf(stderr, "joinrun: %s:%ld: malformed JSON: %s\n", path, line, what);
	else if (m->malformed == MAX_MESSAGES + 1)
		fprintf(stderr, "joinrun: %s: more malformed lines not shown\n", path);
	return -1;
}

static int int_field(json_t *o, const char *key, int64_t *out)
{
	json_t *v = json_object_get(o, key);
	if (json_is_integer(v)) {
		*out = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v)) {
		*out = (int64_t)json_real_value(v);
		return 0;
	}
	return -1;
}

/* A pid: the collector's, or one it could not translate ("pid": null beside
 * "local_pid", docs/DESIGN.md "PID namespaces"), taken as minus that number: it
 * names the process within the log, never a process of ours. */
static int pid_field(json_t *o, const char *key, int64_t *out)
{
	char local[32];
	if (int_field(o, key, out) == 0)
		return 0;
	snprintf(local, sizeof local, "local_%s", key);
	if (!json_is_null(json_object_get(o, key)) || int_field(o, local, out) < 0)
		return -1;
	*out = -*out;
	return 0;
}

/* An exec line: the writer's command line ("argv": null when it was unknown). */
static int take_exec(struct jr_model *m, json_t *o, int pid, int64_t t)
{
	json_t *a = json_object_get(o, "argv"), *x;
	size_t i, len = 0;
	m->events++;
	if (!json_is_array(a))
		return 0;
	json_array_foreach(a, i, x) len += json_is_string(x) ? strlen(json_string_value(x)) + 1 : 0;
	struct jr_ev *e = new_ev(m);
	e->kind = EV_EXEC;
	e->t = t;
	e->pid = pid;
	get_str(o, "comm", e->comm, sizeof e->comm);
	e->argv = jr_xmalloc(2 * len + 2);
	e->argv[0] = 0;
	char *w = e->argv;
	json_array_foreach(a, i, x)
	{
		if (!json_is_string(x))
			continue;
		w += sprintf(w, "%s%s", w == e->argv ? "" : " ", json_string_value(x));
	}
	jr_sanitise(e->argv);
	json_array_foreach(a, i, x) if (json_is_string(x)) /* as they were, for OpenTelemetry */
	{
		w = stpcpy(w + 1, json_string_value(x));
		e->nargs++;
	}
	e->argv_truncated = get_bool(o, "argv_truncated") > 0;
	return 0;
}

/* A warning that records were lost (the collector's last line, when it could
 * write one): counted, so that every summary of the log says so first. */
static int take_lost(struct jr_model *m, json_t *o)
{
	int64_t n, err;
	if (int_field(o, "lost", &n) < 0 || n <= 0)
		return 0;
	if (!m->lost.n)
		m->lost.err = int_field(o, "errno", &err) < 0 ? 0 : (int)err;
	m->lost.n += (unsigned long long)n;
	return 0;
}

/* One parsed line (an object) into events; -1 with a message if unusable. */
static int take(struct jr_model *m, const char *path, long line, json_t *o)
{
	const char *event = json_string_value(json_object_get(o, "event"));
	int64_t pid, t, child = 0;
	char msg[96];

	if (!json_is_object(o))
		return bad(m, path, line, "not an object");
	if (!event)
		return bad(m, path, line, "no \"event\" string");
	if (pid_field(o, "pid", &pid) < 0)
		return bad(m, path, line, "no integer \"pid\"");
	if (int_field(o, "t_ns", &t) < 0)
		return bad(m, path, line, "no integer \"t_ns\"");
	int kind;
	if (!strcmp(event, "fork"))
		kind = EV_FORK;
	else if (!strcmp(event, "exit"))
		kind = EV_EXIT;
	else if (!strcmp(event, "reap"))
		kind = EV_REAP;
	else if (!strcmp(event, "zombie"))
		kind = EV_ZOMBIE;
	else if (!strcmp(event, "report"))
		kind = EV_RUNNING;
	else if (!strcmp(event, "exec"))
		return take_exec(m, o, (int)pid, t);
	else if (!strcmp(event, "warning"))
		return take_lost(m, o);
	else
		return 0; /* an event of a later version: not ours to judge */
	if (kind != EV_RUNNING && pid_field(o, "child", &child) < 0) {
		snprintf(msg, sizeof msg, "%s without integer \"child\"", event);
		return bad(m, path, line, msg);
	}
	m->events++;
	if (kind == EV_RUNNING) {
		static const char *const lists[2] = {"running", "zombies"};
		for (int l = 0; l < 2; l++) {
			json_t *a = json_object_get(o, lists[l]), *x;
			size_t i;
			json_array_foreach(a, i, x)
			{
				int64_t c;
				if (pid_field(x, "child", &c) < 0)
					continue;
				struct jr_ev *e = new_ev(m);
				e->kind = l ? EV_UNREAPED : EV_RUNNING;
				e->t = t;
				e->pid = (int)pid;
				e->child = (int)c;
				get_str(o, "comm", e->comm, sizeof e->comm);
				get_str(x, "child_comm", e->child_comm, sizeof e->child_comm);
				e->age = get_num(x, "age_ms");
				if (int_field(x, "fork_ns", &e->fork_at) < 0)
					e->fork_at = -1;
				if (int_field(x, "exit_ns", &e->exit_at) < 0)
					e->exit_at = -1;
			}
		}
		return 0;
	}
	struct jr_ev *e = new_ev(m);
	e->kind = kind;
	e->t = t;
	e->pid = (int)pid;
	e->child = (int)child;
	get_str(o, "comm", e->comm, sizeof e->comm);
	get_str(o, "child_comm", e->child_comm, sizeof e->child_comm);
	get_str(o, "how", e->how, sizeof e->how);
	get_str(o, "call", e->call, sizeof e->call);
	json_t *sig = json_object_get(o, "signal"), *code = json_object_get(o, "code");
	if (json_is_integer(sig) && json_integer_value(sig) > 0) {
		e->has_status = 1;
		e->sig = (int)json_integer_value(sig);
	} else if (json_is_integer(code)) {
		e->has_status = 1;
		e->code = (int)json_integer_value(code);
	}
	e->core = get_bool(o, "core") > 0;
	e->exact = get_bool(o, "exact");
	e->tracked = get_bool(o, "tracked");
	e->approx = get_bool(o, "approx");
	/* Microseconds and nanoseconds first; the deprecated *_ms of older logs else. */
	e->real = scaled(o, "real_ns", 1e-6, "real_ms");
	e->real_exact_ns = get_num(o, "real_ns") >= 0; /* not rounded to the ms */
	e->user = scaled(o, "user_us", 1e-3, "user_ms");
	e->sys = scaled(o, "sys_us", 1e-3, "sys_ms");
	e->self_user = scaled(o, "self_user_us", 1e-3, NULL);
	e->self_sys = scaled(o, "self_sys_us", 1e-3, NULL);
	e->self_rss = get_long(o, "self_maxrss_kb");
	e->orphan = get_bool(o, "orphan") > 0;
	char why[16] = "";
	get_str(o, "opaque", why, sizeof why);
	for (int k = 1; k < 4; k++)
		if (why[0] && !strcmp(why, opaque_names[k]))
			e->opaque = k;
	e->late = get_num(o, "late_ms");
	e->age = get_num(o, "age_ms");
#define X(member, ru) e->member = get_long(o, #member);
	JOIN_RUSAGE_FIELDS(X)
#undef X
	return 0;
}

int jr_model_read(struct jr_model *m, const char *path)
{
	return jr_model_read_from(m, path, 0);
}

int jr_model_read_from(struct jr_model *m, const char *path, long at)
{
	FILE *f = fopen(path, "r");
	if (!f || (at > 0 && fseek(f, at, SEEK_SET) < 0)) {
		fprintf(stderr, "joinrun: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	long line = 0;
	while ((len = getline(&buf, &cap, f)) >= 0) {
		line++;
		m->lines++;
		size_t i = 0;
		while (i < (size_t)len && (buf[i] == ' ' || buf[i] == '\t'))
			i++;
		if (i == (size_t)len || buf[i] == '#' || buf[i] == '\n' || buf[i] == '\r')
			continue;
		json_error_t err;
		json_t *o = json_loadb(buf, (size_t)len, 0, &err);
		if (!o) {
			bad(m, path, line, err.text);
			continue;
		}
		take(m, path, line, o);
		json_decref(o);
	}
	int rc = 0;
	if (ferror(f)) {
		fprintf(stderr, "joinrun: %s: %s\n", path, strerror(errno));
		rc = -1;
	}
	free(buf);
	fclose(f);
	return rc;
}

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

static int new_proc(struct jr_model *m, int pid, int64_t t)
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
	int left = m->p[i >= 0 ? i : 0].zombie_end && !(e->kind == EV_REAP && e->orphan);
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
		copy_str(m->p[w].comm, JR_COMM, e->comm);
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
	struct jr_proc *p = &m->p[i];
	if (e->child_comm[0])
		copy_str(p->comm, JR_COMM, e->child_comm);
	switch (e->kind) {
	case EV_FORK:
		p->has_fork = 1;
		p->fork_ns = e->t;
		p->writer = 0;
		p->ppid = e->pid;
		copy_str(p->how, sizeof p->how, e->how);
		if (e->pid == m->joinrun_pid) {
			p->root = 1;
			p->parent = -1;
		} else {
			int w = latest(m, e->pid);
			p->parent = w >= 0 && w != i && !m->p[w].has_reap ? w : -1;
		}
		break;
	case EV_EXIT:
		p->writer = 0;
		status(p, e);
		p->has_exit = 1;
		p->exit_ns = e->t;
		p->exit_exact = e->exact != 0;
		p->exit_of_ms = 0;
		break;
	case EV_ZOMBIE: /* live, from the collector: its age is since the exit */
		p->writer = 0;
		p->zombies++;
		if (!p->has_exit && e->age >= 0) {
			p->has_exit = p->exit_exact = p->exit_of_ms = 1;
			p->exit_ns = e->t - (int64_t)(e->age * 1e6);
		}
		break;
	case EV_UNREAPED: /* the exit report: the exit only when it says it (watched) */
		p->writer = 0;
		p->zombie_end = 1;
		p->gone_ns = e->t;
		if (!p->has_fork && e->fork_at > 0)
			p->has_fork = 1, p->fork_ns = e->fork_at;
		if (!p->has_exit && e->exit_at > 0) {
			p->has_exit = 1;
			p->exit_exact = 1;
			p->exit_ns = e->exit_at;
		}
		break;
	case EV_RUNNING:
		p->writer = 0;
		p->running_end = 1;
		if (!p->has_fork && e->fork_at > 0)
			p->has_fork = 1, p->fork_ns = e->fork_at;
		else if (!p->has_fork && e->age >= 0) {
			p->has_fork = p->fork_approx = 1;
			p->fork_ns = e->t - (int64_t)(e->age * 1e6);
		}
		break;
	case EV_REAP:
		p->writer = 0;
		status(p, e);
		p->has_reap = 1;
		p->reap_ns = e->t;
		p->reaper = e->pid;
		if (e->call[0])
			copy_str(p->call, sizeof p->call, e->call);
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
		break;
	}
}

static int by_time(const void *a, const void *b)
{
	const struct jr_ev *x = a, *y = b;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

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

/* Is pending event i joinrun's fork of the command it ran: the start of a run? */
static int run_start(const struct jr_model *m, long i)
{
	return m->ev[i].kind == EV_FORK && !strcmp(m->ev[i].how, "joinrun");
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
		char *name;
		if (asprintf(&name, "%s (run %d)", m->name, k + 1) < 0)
			name = NULL;
		r[k] = jr_xmalloc(sizeof *r[k]);
		jr_model_init(r[k], name ? name : m->name);
		free(name);
		r[k]->capev = r[k]->nev = to - from;
		r[k]->ev = jr_xmalloc(r[k]->nev * sizeof *r[k]->ev);
		memcpy(r[k]->ev, m->ev + from, r[k]->nev * sizeof *r[k]->ev); /* argv moves */
		r[k]->events = r[k]->nev;
		from = to;
	}
	r[0]->lines = m->lines;
	r[0]->malformed = m->malformed;
	m->nev = 0;
	*out = r;
	return n + 1;
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

void jr_model_build(struct jr_model *m)
{
	if (m->nev > 1)
		qsort(m->ev, m->nev, sizeof *m->ev, by_time);
	for (long i = 0; i < m->nev; i++)
		apply(m, &m->ev[i]);
	for (long i = 0; i < m->nev; i++)
		free(m->ev[i].argv);
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
	free(m->ev);
	m->ev = NULL;
	m->nev = m->capev = 0;

	/* Link the tree: siblings in order of their start. */
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
	own_times(m);
	int n;
	int *order = jr_tree_order(m, &n);
	for (int k = 0; k < n; k++) {
		struct jr_proc *p = &m->p[order[k]];
		p->depth = p->parent >= 0 ? m->p[p->parent].depth + 1 : 0;
	}
	free(order);
}

int *jr_tree_order(const struct jr_model *m, int *n)
{
	int *out = jr_xmalloc((m->n + 1) * sizeof *out), k = 0;
	int *stack = jr_xmalloc((m->n + 1) * sizeof *stack), sp = 0;
	/* Iterative preorder: push a sibling chain reversed so the first pops first. */
	for (int c = m->roots; c >= 0 && sp < m->n; c = m->p[c].sibling)
		stack[sp++] = c;
	for (int a = 0, b = sp - 1; a < b; a++, b--) {
		int t = stack[a];
		stack[a] = stack[b];
		stack[b] = t;
	}
	while (sp > 0 && k < m->n) {
		int i = stack[--sp];
		out[k++] = i;
		int base = sp;
		for (int c = m->p[i].child; c >= 0 && sp < m->n; c = m->p[c].sibling)
			stack[sp++] = c;
		for (int a = base, b = sp - 1; a < b; a++, b--) {
			int t = stack[a];
			stack[a] = stack[b];
			stack[b] = t;
		}
	}
	free(stack);
	*n = k;
	return out;
}

int jr_model_cut(const struct jr_model *m)
{
	for (int i = 0; i < m->n; i++)
		if (m->p[i].root && !m->p[i].has_reap)
			return 1;
	return 0;
}

int jr_done(const struct jr_proc *p)
{
	return p->has_status || p->zombie_end;
}

/* Fork and exit both instants of the log (ns), not derived from a figure in ms. */
static int ns_instants(const struct jr_proc *p)
{
	return p->has_fork && !p->fork_approx && p->has_exit && !p->exit_of_ms &&
	       p->exit_ns >= p->fork_ns;
}

/* The log's nanoseconds before the reap's real_ms, which is rounded to the ms: a
 * process of 0.6 ms is not one of 1 ms (the same upper bound when the exit is the reap). */
double jr_real(const struct jr_proc *p)
{
	if (p->real_ms >= 0 && p->real_ns)
		return p->real_ms;
	if (ns_instants(p))
		return (p->exit_ns - p->fork_ns) / 1e6;
	if (p->real_ms >= 0)
		return p->real_ms;
	if (p->has_fork && p->has_exit && p->exit_ns >= p->fork_ns)
		return (p->exit_ns - p->fork_ns) / 1e6;
	return -1;
}

int jr_real_ns(const struct jr_proc *p)
{
	return (p->real_ms >= 0 && p->real_ns) || ns_instants(p);
}

double jr_self_cpu(const struct jr_proc *p)
{
	return p->self_user_ms >= 0 && p->self_sys_ms >= 0 ? p->self_user_ms + p->self_sys_ms : -1;
}

double jr_incl_cpu(const struct jr_proc *p)
{
	return p->user_ms >= 0 && p->sys_ms >= 0 ? p->user_ms + p->sys_ms : -1;
}

int jr_abnormal(const struct jr_proc *p)
{
	return p->has_status && (p->sig || p->code);
}

int jr_late(const struct jr_proc *p, double late_ms)
{
	return p->zombies > 0 || p->zombie_end || (p->late_ms >= 0 && p->late_ms >= late_ms);
}

int jr_exit_unknown(const struct jr_proc *p)
{
	return p->zombie_end && !p->has_exit;
}

int jr_span(const struct jr_model *m, const struct jr_proc *p, int64_t *s, int64_t *e)
{
	if (!p->has_fork || jr_exit_unknown(p))
		return 0;
	*s = p->fork_ns;
	*e = p->has_exit ? p->exit_ns : m->t1;
	if (*e < *s)
		*e = *s;
	return 1;
}

int jr_span_open(const struct jr_proc *p, int64_t *s, int64_t *e)
{
	if (!p->has_fork || !jr_exit_unknown(p))
		return 0;
	*s = p->fork_ns;
	*e = p->gone_ns > p->fork_ns ? p->gone_ns : p->fork_ns;
	return 1;
}

int jr_zombie_end(const struct jr_model *m, const struct jr_proc *p, int64_t *e)
{
	if (!p->has_exit)
		return 0;
	if (p->exit_exact && p->has_reap && p->reap_ns > p->exit_ns) {
		*e = p->reap_ns;
		return 1;
	}
	/* Never reaped: a zombie from its exit to the end of the log.  An exit time that is
	 * an upper bound only shortens the span drawn; it is a zombie all of that time. */
	if (p->zombie_end && p->has_exit && m->t1 > p->exit_ns) {
		*e = m->t1;
		return 1;
	}
	return 0;
}

const char *jr_status(const struct jr_proc *p, char buf[48])
{
	if (p->has_status && p->sig) {
		const char *s = sigabbrev_np(p->sig);
		if (s)
			snprintf(buf, 48, "SIG%s%s", s, p->core ? "+core" : "");
		else
			snprintf(buf, 48, "signal %d%s", p->sig, p->core ? "+core" : "");
	} else if (p->has_status && p->code)
		snprintf(buf, 48, "exit %d", p->code);
	else if (p->has_status)
		snprintf(buf, 48, "ok");
	else if (p->zombie_end)
		snprintf(buf, 48, "zombie");
	else if (p->running_end)
		snprintf(buf, 48, "running");
	else
		snprintf(buf, 48, "?");
	return buf;
}

double jr_late_threshold(void)
{
	const char *s = getenv("JOIN_ZOMBIE_MS");
	char *end;
	if (s && *s) {
		errno = 0;
		double v = strtod(s, &end);
		if (!*end && !errno && v > 0)
			return v;
	}
	return 1000;
}
