/* SPDX-License-Identifier: MIT */
/*
 * logread.c - reads libjoin's JSON lines (with jansson) into a model's pending
 * events (ev.h), applied later by model.c.  Every line names its writer
 * ("pid") and instant ("t_ns"); its "event" finds in a table the function
 * that takes the rest, one per event.  An event not in the table is a later
 * version's and skipped.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "ev.h"

#define MAX_MESSAGES 20

/* The "opaque" reasons, by enum join_opaque (shim/base/record.h). */
static const char *const opaque_names[4] = {"", "static", "setuid", "no-preload"};

const char *jr_opaque_name(int why)
{
	return why > 0 && why < 4 ? opaque_names[why] : "";
}

static void get_str(json_t *o, const char *key, char *dst, size_t cap)
{
	json_t *v = json_object_get(o, key);
	if (json_is_string(v))
		jr_copy_str(dst, cap, json_string_value(v));
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

static int bad(struct jr_model *m, const char *path, long line, const char *what)
{
	m->malformed++;
	if (m->malformed <= MAX_MESSAGES)
		fprintf(stderr, "joinrun: %s:%ld: malformed JSON: %s\n", path, line, what);
	else if (m->malformed == MAX_MESSAGES + 1)
		fprintf(stderr, "joinrun: %s: more malformed lines not shown\n", path);
	return -1;
}

/* Every figure unknown (-1) until a line gives it: 0 would be a measurement. */
static struct jr_ev *new_ev(struct jr_model *m)
{
	if (m->nev == m->capev) {
		m->capev = m->capev ? 2 * m->capev : 256;
		m->ev = jr_xrealloc(m->ev, m->capev * sizeof *m->ev);
	}
	struct jr_ev *e = &m->ev[m->nev];
	memset(e, 0, sizeof *e);
	e->seq = m->nev++;
	e->exact = e->tracked = -1;
	e->real = e->user = e->sys = e->late = e->age = e->self_user = e->self_sys = -1;
	e->self_rss = -1;
	e->fork_at = e->exit_at = -1;
#define X(member, ru) e->member = -1;
	JOIN_RUSAGE_FIELDS(X)
#undef X
	return e;
}

/* The line being taken: where it is, its object, and what every event has. */
struct line {
	struct jr_model *m;
	const char *path;
	long no;
	json_t *o;
	const char *event;
	int kind; /* of the pending event it makes, by the table */
	int pid;
	int64_t t;
};

/* A pending event of kind, written by the line's writer at its instant. */
static struct jr_ev *line_ev(const struct line *l, int kind)
{
	struct jr_ev *e = new_ev(l->m);
	e->kind = kind;
	e->t = l->t;
	e->pid = l->pid;
	get_str(l->o, "comm", e->comm, sizeof e->comm);
	return e;
}

/* The event of a line about one child ("child"), or NULL after a message: a
 * fork, exit, zombie or reap names no one without it. */
static struct jr_ev *child_ev(const struct line *l)
{
	int64_t child;
	char msg[96];
	if (pid_field(l->o, "child", &child) < 0) {
		snprintf(msg, sizeof msg, "%s without integer \"child\"", l->event);
		bad(l->m, l->path, l->no, msg);
		return NULL;
	}
	l->m->events++;
	struct jr_ev *e = line_ev(l, l->kind);
	e->child = (int)child;
	get_str(l->o, "child_comm", e->child_comm, sizeof e->child_comm);
	return e;
}

/* How the child ended: a signal when there was one, else the exit code. */
static void take_status(json_t *o, struct jr_ev *e)
{
	json_t *sig = json_object_get(o, "signal"), *code = json_object_get(o, "code");
	if (json_is_integer(sig) && json_integer_value(sig) > 0) {
		e->has_status = 1;
		e->sig = (int)json_integer_value(sig);
	} else if (json_is_integer(code)) {
		e->has_status = 1;
		e->code = (int)json_integer_value(code);
	}
	e->core = get_bool(o, "core") > 0;
}

static int take_fork(const struct line *l)
{
	struct jr_ev *e = child_ev(l);
	if (!e)
		return -1;
	get_str(l->o, "how", e->how, sizeof e->how);
	return 0;
}

/* A watched exit (JOIN_WATCH): "exact" says whether its instant is the exit's. */
static int take_exit(const struct line *l)
{
	struct jr_ev *e = child_ev(l);
	if (!e)
		return -1;
	take_status(l->o, e);
	e->exact = get_bool(l->o, "exact");
	return 0;
}

/* A live warning of the collector: its age is since the child's exit. */
static int take_zombie(const struct line *l)
{
	struct jr_ev *e = child_ev(l);
	if (!e)
		return -1;
	e->age = get_num(l->o, "age_ms");
	return 0;
}

/* The reap's times and resources.  Microseconds and nanoseconds first; the
 * deprecated *_ms of older logs else. */
static void take_figures(json_t *o, struct jr_ev *e)
{
	e->real = scaled(o, "real_ns", 1e-6, "real_ms");
	e->real_exact_ns = get_num(o, "real_ns") >= 0; /* not rounded to the ms */
	e->user = scaled(o, "user_us", 1e-3, "user_ms");
	e->sys = scaled(o, "sys_us", 1e-3, "sys_ms");
	e->self_user = scaled(o, "self_user_us", 1e-3, NULL);
	e->self_sys = scaled(o, "self_sys_us", 1e-3, NULL);
	e->self_rss = get_long(o, "self_maxrss_kb");
	e->late = get_num(o, "late_ms");
#define X(member, ru) e->member = get_long(o, #member);
	JOIN_RUSAGE_FIELDS(X)
#undef X
}

/* enum join_opaque of the reap's "opaque" name, 0 for none or one unknown. */
static int opaque_of(json_t *o)
{
	char why[16] = "";
	get_str(o, "opaque", why, sizeof why);
	for (int k = 1; k < 4; k++)
		if (why[0] && !strcmp(why, opaque_names[k]))
			return k;
	return 0;
}

static int take_reap(const struct line *l)
{
	struct jr_ev *e = child_ev(l);
	if (!e)
		return -1;
	take_status(l->o, e);
	get_str(l->o, "call", e->call, sizeof e->call);
	e->exact = get_bool(l->o, "exact");
	e->tracked = get_bool(l->o, "tracked");
	e->orphan = get_bool(l->o, "orphan") > 0;
	e->opaque = opaque_of(l->o);
	take_figures(l->o, e);
	return 0;
}

/* One child of an exit report's list: kind EV_RUNNING (still running) or
 * EV_UNREAPED (a zombie never reaped) as the writer exits. */
static void take_entry(const struct line *l, json_t *x, int kind)
{
	int64_t c;
	if (pid_field(x, "child", &c) < 0)
		return;
	struct jr_ev *e = line_ev(l, kind);
	e->child = (int)c;
	get_str(x, "child_comm", e->child_comm, sizeof e->child_comm);
	e->age = get_num(x, "age_ms");
	if (int_field(x, "fork_ns", &e->fork_at) < 0)
		e->fork_at = -1;
	if (int_field(x, "exit_ns", &e->exit_at) < 0)
		e->exit_at = -1;
}

/* An exit report: one event for each child it lists, running ones first. */
static int take_report(const struct line *l)
{
	json_t *running = json_object_get(l->o, "running");
	json_t *zombies = json_object_get(l->o, "zombies"), *x;
	size_t i;
	l->m->events++;
	json_array_foreach(running, i, x) take_entry(l, x, EV_RUNNING);
	json_array_foreach(zombies, i, x) take_entry(l, x, EV_UNREAPED);
	return 0;
}

/* argv's strings joined by spaces and sanitised, for a table; after that
 * string's NUL, each one NUL-ended as it was, for OpenTelemetry. */
static void join_argv(struct jr_ev *e, json_t *a)
{
	json_t *x;
	size_t i, len = 0;
	json_array_foreach(a, i, x) len += json_is_string(x) ? strlen(json_string_value(x)) + 1 : 0;
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
	json_array_foreach(a, i, x) if (json_is_string(x))
	{
		w = stpcpy(w + 1, json_string_value(x));
		e->nargs++;
	}
}

/* An exec line: the writer's command line ("argv": null when it was unknown). */
static int take_exec(const struct line *l)
{
	json_t *a = json_object_get(l->o, "argv");
	l->m->events++;
	if (!json_is_array(a))
		return 0;
	struct jr_ev *e = line_ev(l, l->kind);
	join_argv(e, a);
	e->argv_truncated = get_bool(l->o, "argv_truncated") > 0;
	return 0;
}

/* A warning that records were lost (the collector's last line, when it could
 * write one): counted, so that every summary of the log says so first. */
static int take_lost(const struct line *l)
{
	struct jr_model *m = l->m;
	int64_t n, err;
	if (int_field(l->o, "lost", &n) < 0 || n <= 0)
		return 0;
	if (!m->lost.n)
		m->lost.err = int_field(l->o, "errno", &err) < 0 ? 0 : (int)err;
	m->lost.n += (unsigned long long)n;
	return 0;
}

/* Each "event" a line may name, the kind of pending event it makes (a report
 * also makes EV_UNREAPED; a warning none), and the function that takes it. */
static const struct {
	const char *name;
	int kind;
	int (*take)(const struct line *l);
} takers[] = {
    {"fork", EV_FORK, take_fork},        {"exit", EV_EXIT, take_exit},
    {"reap", EV_REAP, take_reap},        {"zombie", EV_ZOMBIE, take_zombie},
    {"report", EV_RUNNING, take_report}, {"exec", EV_EXEC, take_exec},
    {"warning", -1, take_lost},
};

/* One parsed line (an object) into events; -1 with a message if unusable. */
static int take(struct jr_model *m, const char *path, long no, json_t *o)
{
	struct line l = {.m = m, .path = path, .no = no, .o = o};
	int64_t pid;

	l.event = json_string_value(json_object_get(o, "event"));
	if (!json_is_object(o))
		return bad(m, path, no, "not an object");
	if (!l.event)
		return bad(m, path, no, "no \"event\" string");
	if (pid_field(o, "pid", &pid) < 0)
		return bad(m, path, no, "no integer \"pid\"");
	if (int_field(o, "t_ns", &l.t) < 0)
		return bad(m, path, no, "no integer \"t_ns\"");
	l.pid = (int)pid;
	for (size_t k = 0; k < sizeof takers / sizeof *takers; k++)
		if (!strcmp(l.event, takers[k].name)) {
			l.kind = takers[k].kind;
			return takers[k].take(&l);
		}
	return 0; /* an event of a later version: not ours to judge */
}

/* A line with nothing to take: blank, or a comment ('#'). */
static int blank(const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	return i == len || buf[i] == '#' || buf[i] == '\n' || buf[i] == '\r';
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
		if (blank(buf, (size_t)len))
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
