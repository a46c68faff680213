/* SPDX-License-Identifier: MIT */
/*
 * trace.c - the tree as Chrome trace-event JSON (built with jansson), which
 * Perfetto and chrome://tracing open as it is: one track per process
 * ("M" process_name and thread_name naming its command), an "X" slice from
 * fork to exit named by the command, an "X" slice "zombie" from exit to reap
 * when the exit is known (a zombie whose exit was not watched gets one slice to
 * its parent's exit, "exit_time": "unknown"), an "i" instant "fork" on the parent's track, and a
 * counter of the processes running at once.  Timestamps are microseconds
 * since the first event.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

#define PID_SPAN    4194304 /* pid_max: a reused pid gets its own track above it */
#define COUNTER_PID 999999999

struct out {
	FILE *f;
	int first, err;
};

/* One element of the traceEvents array, one a line; takes the reference. */
static void emit(struct out *o, json_t *ev)
{
	if (!ev) {
		o->err = ENOMEM;
		return;
	}
	if (!o->first)
		fputs(",\n", o->f);
	o->first = 0;
	if (json_dumpf(ev, o->f, JSON_COMPACT | JSON_REAL_PRECISION(15)) < 0)
		o->err = EIO;
	json_decref(ev);
}

static int by_key(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static double us(const struct jr_model *m, int64_t t)
{
	return (double)(t - m->t0) / 1e3;
}

/* A zombie at its parent's exit, not watched: the slice is where it may have run. */
static const char open_note[] =
    "exited at an unknown instant before the end of this slice, never reaped "
    "(its exit is known only under --watch)";

static json_t *meta(const char *name, int id, json_t *args)
{
	return json_pack("{s:s, s:s, s:i, s:i, s:o}", "name", name, "ph", "M", "pid", id, "tid", id,
	                 "args", args);
}

static json_t *slice_args(const struct jr_proc *p)
{
	char st[48];
	json_t *a =
	    json_pack("{s:i, s:i, s:s}", "pid", p->pid, "ppid", p->ppid, "exit", jr_status(p, st));
	if (!a)
		return NULL;
	if (p->has_status && p->sig)
		json_object_set_new(a, "signal", json_integer(p->sig));
	else if (p->has_status)
		json_object_set_new(a, "code", json_integer(p->code));
	if (p->has_status)
		json_object_set_new(a, "core", json_boolean(p->core));
	json_object_set_new(a, "exit_time",
	                    json_string(!p->has_exit    ? "unknown"
	                                : p->exit_exact ? "exact"
	                                                : "upper bound (the reap)"));
	if (p->fork_approx)
		json_object_set_new(a, "fork_time", json_string("approximate"));
	if (jr_real(p) >= 0)
		json_object_set_new(a, "real_ms", json_real(jr_real(p)));
	if (p->self_user_ms >= 0)
		json_object_set_new(a, "own_user_ms", json_real(p->self_user_ms));
	if (p->self_sys_ms >= 0)
		json_object_set_new(a, "own_sys_ms", json_real(p->self_sys_ms));
	if (p->user_ms >= 0)
		json_object_set_new(a, "inclusive_user_ms", json_real(p->user_ms));
	if (p->sys_ms >= 0)
		json_object_set_new(a, "inclusive_sys_ms", json_real(p->sys_ms));
	if (p->orphan)
		json_object_set_new(a, "orphan", json_true());
	if (p->opaque > 0 && p->opaque < 4)
		json_object_set_new(a, "opaque", json_string(jr_opaque_name(p->opaque)));
	if (p->maxrss_kb >= 0)
		json_object_set_new(a, "maxrss_kb", json_integer(p->maxrss_kb));
	if (p->how[0])
		json_object_set_new(a, "how", json_string(p->how));
	if (p->untracked)
		json_object_set_new(a, "tracked", json_false());
	return a;
}

int jr_trace(const struct jr_model *m, const char *path)
{
	struct out o = {.first = 1};
	o.f = fopen(path, "w");
	if (!o.f) {
		fprintf(stderr, "joinrun: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int n;
	int *order = jr_tree_order(m, &n);
	int *id = jr_xmalloc((m->n + 1) * sizeof *id);
	/* Tracks by pid; a pid used again (after a reap) gets pid + k * PID_SPAN. */
	int64_t *key = jr_xmalloc((n + 1) * sizeof *key);
	for (int k = 0; k < n; k++)
		key[k] = (int64_t)m->p[order[k]].pid << 32 | k;
	qsort(key, n, sizeof *key, by_key);
	for (int k = 0, uses = 0; k < n; k++) {
		uses = k && key[k] >> 32 == key[k - 1] >> 32 ? uses + 1 : 0;
		id[order[key[k] & 0xffffffff]] = (int)(key[k] >> 32) + uses * PID_SPAN;
	}
	free(key);
	fputs("{\"displayTimeUnit\":\"ms\",\"otherData\":", o.f);
	emit(&o, json_pack("{s:s, s:s}", "tool", "joinrun", "log", m->name));
	fputs(",\n\"traceEvents\":[\n", o.f);
	o.first = 1;
	for (int k = 0; k < n; k++) {
		const struct jr_proc *p = &m->p[order[k]];
		const char *c = p->comm[0] ? p->comm : "?";
		int me = id[order[k]];
		emit(&o, meta("process_name", me, json_pack("{s:s}", "name", c)));
		emit(&o, meta("thread_name", me, json_pack("{s:s}", "name", c)));
		emit(&o, meta("process_sort_index", me, json_pack("{s:i}", "sort_index", k)));
		int64_t s, e, z;
		int open = 0;
		if (jr_span(m, p, &s, &e) || (open = jr_span_open(p, &s, &e))) {
			json_t *a = slice_args(p);
			if (a && open)
				json_object_set_new(a, "note", json_string(open_note));
			emit(&o, json_pack("{s:s, s:s, s:s, s:f, s:f, s:i, s:i, s:o}", "name", c,
			                   "cat", open ? "process,exit-unknown" : "process", "ph",
			                   "X", "ts", us(m, s), "dur", (double)(e - s) / 1e3, "pid",
			                   me, "tid", me, "args", a));
			if (p->parent >= 0)
				emit(&o,
				     json_pack("{s:s, s:s, s:s, s:s, s:f, s:i, s:i, s:{s:i, s:s}}",
				               "name", "fork", "cat", "fork", "ph", "i", "s", "t",
				               "ts", us(m, s), "pid", id[p->parent], "tid",
				               id[p->parent], "args", "child", p->pid, "comm", c));
		}
		if (jr_zombie_end(m, p, &z)) {
			json_t *a = json_pack("{s:i, s:b}", "pid", p->pid, "reaped", p->has_reap);
			if (a && p->has_reap && p->call[0])
				json_object_set_new(a, "call", json_string(p->call));
			if (a && p->late_ms >= 0)
				json_object_set_new(a, "late_ms", json_real(p->late_ms));
			emit(&o, json_pack("{s:s, s:s, s:s, s:f, s:f, s:i, s:i, s:o}", "name",
			                   "zombie", "cat", "zombie", "ph", "X", "ts",
			                   us(m, p->exit_ns), "dur", (double)(z - p->exit_ns) / 1e3,
			                   "pid", me, "tid", me, "args", a));
		}
	}
	struct jr_par r;
	jr_parallel(m, &r);
	if (r.nstep) {
		emit(&o, meta("process_name", COUNTER_PID,
		              json_pack("{s:s}", "name", "running at once (joinrun)")));
		for (int k = 0; k < r.nstep; k++)
			emit(&o, json_pack("{s:s, s:s, s:f, s:i, s:i, s:{s:i}}", "name", "running",
			                   "ph", "C", "ts", us(m, r.step[k].t), "pid", COUNTER_PID,
			                   "tid", COUNTER_PID, "args", "running", r.step[k].n));
	}
	jr_parallel_free(&r);
	fputs("\n]}\n", o.f);
	free(id);
	free(order);
	if (fclose(o.f) != 0 && !o.err)
		o.err = errno;
	if (o.err) {
		fprintf(stderr, "joinrun: %s: %s\n", path, strerror(o.err));
		return -1;
	}
	return 0;
}
