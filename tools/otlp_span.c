/* SPDX-License-Identifier: MIT */
/*
 * otlp_span.c - a process of the model as an OpenTelemetry span: kind INTERNAL,
 * named process.executable.name, from its fork to its exit, the child of its
 * forker's span; the semantic conventions' process.* attributes and libjoin.*
 * for the rest; status ERROR for a non-zero exit or a signal; events exec, exit,
 * reap and libjoin.zombie.  Messages live in an arena, freed per batch.
 */
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "otlp.h"
#include "tools.h"

#ifndef JOIN_VERSION
#define JOIN_VERSION "unknown"
#endif

/* --- the arena ----------------------------------------------------------- */

struct jr_chunk {
	struct jr_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

void *jr_arena_alloc(struct jr_arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct jr_chunk *c = a->chunk;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		c = jr_xmalloc(sizeof *c + cap);
		c->next = a->chunk;
		c->used = 0;
		c->cap = cap;
		a->chunk = c;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *jr_arena_str(struct jr_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(jr_arena_alloc(a, n), s, n);
}

void jr_arena_free(struct jr_arena *a)
{
	while (a->chunk) {
		struct jr_chunk *next = a->chunk->next;
		free(a->chunk);
		a->chunk = next;
	}
}

#define NEW(a, type, init)                                                                         \
	({                                                                                         \
		type *x_ = jr_arena_alloc(a, sizeof(type));                                        \
		type i_ = init;                                                                    \
		*x_ = i_;                                                                          \
		x_;                                                                                \
	})

/* --- attributes ---------------------------------------------------------- */

/* A growing list of key-values in the arena. */
struct kvs {
	struct jr_arena *a;
	Joinrun__Otlp__KeyValue **kv;
	size_t n, cap;
};

static Joinrun__Otlp__AnyValue *value(struct kvs *l)
{
	Joinrun__Otlp__AnyValue *v =
	    NEW(l->a, Joinrun__Otlp__AnyValue, JOINRUN__OTLP__ANY_VALUE__INIT);
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		Joinrun__Otlp__KeyValue **kv = jr_arena_alloc(l->a, cap * sizeof *kv);
		if (l->n)
			memcpy(kv, l->kv, l->n * sizeof *kv);
		l->kv = kv;
		l->cap = cap;
	}
	return v;
}

static void put(struct kvs *l, const char *key, Joinrun__Otlp__AnyValue *v)
{
	Joinrun__Otlp__KeyValue *kv =
	    NEW(l->a, Joinrun__Otlp__KeyValue, JOINRUN__OTLP__KEY_VALUE__INIT);
	kv->key = (char *)key; /* keys are literals or live as long as the arena */
	kv->value = v;
	l->kv[l->n++] = kv;
}

static void put_str(struct kvs *l, const char *key, const char *s)
{
	Joinrun__Otlp__AnyValue *v = value(l);
	v->value_case = JOINRUN__OTLP__ANY_VALUE__VALUE_STRING_VALUE;
	v->string_value = jr_arena_str(l->a, s);
	put(l, key, v);
}

static void put_int(struct kvs *l, const char *key, int64_t i)
{
	Joinrun__Otlp__AnyValue *v = value(l);
	v->value_case = JOINRUN__OTLP__ANY_VALUE__VALUE_INT_VALUE;
	v->int_value = i;
	put(l, key, v);
}

static void put_bool(struct kvs *l, const char *key, int b)
{
	Joinrun__Otlp__AnyValue *v = value(l);
	v->value_case = JOINRUN__OTLP__ANY_VALUE__VALUE_BOOL_VALUE;
	v->bool_value = b != 0;
	put(l, key, v);
}

static void put_ms(struct kvs *l, const char *key, double ms)
{
	if (ms < 0)
		return; /* unknown */
	Joinrun__Otlp__AnyValue *v = value(l);
	v->value_case = JOINRUN__OTLP__ANY_VALUE__VALUE_DOUBLE_VALUE;
	v->double_value = ms;
	put(l, key, v);
}

/* process.command_args: the arguments as they were (string[]). */
static void put_args(struct kvs *l, const struct jr_proc *p)
{
	Joinrun__Otlp__ArrayValue *arr =
	    NEW(l->a, Joinrun__Otlp__ArrayValue, JOINRUN__OTLP__ARRAY_VALUE__INIT);
	arr->values = jr_arena_alloc(l->a, (p->nargs + 1) * sizeof *arr->values);
	const char *s = p->argv + strlen(p->argv) + 1;
	for (int k = 0; k < p->nargs; k++, s += strlen(s) + 1) {
		Joinrun__Otlp__AnyValue *v =
		    NEW(l->a, Joinrun__Otlp__AnyValue, JOINRUN__OTLP__ANY_VALUE__INIT);
		v->value_case = JOINRUN__OTLP__ANY_VALUE__VALUE_STRING_VALUE;
		v->string_value = jr_arena_str(l->a, s);
		arr->values[arr->n_values++] = v;
	}
	Joinrun__Otlp__AnyValue *v = value(l);
	v->value_case = JOINRUN__OTLP__ANY_VALUE__VALUE_ARRAY_VALUE;
	v->array_value = arr;
	put(l, "process.command_args", v);
}

/* The CPU times of a process, as the model holds them: (attribute, member).  The
 * reap's user and sys are inclusive (the child and the descendants it reaped); own
 * CPU is one more line here when the model has it. */
#define JR_OTLP_CPU(X)                                                                             \
	X("libjoin.cpu.user_inclusive_ms", user_ms)                                                \
	X("libjoin.cpu.sys_inclusive_ms", sys_ms)

static void process_attrs(struct kvs *l, const struct jr_proc *p, const char *name)
{
	put_int(l, "process.pid", p->pid);
	if (p->ppid > 0)
		put_int(l, "process.parent_pid", p->ppid);
	put_str(l, "process.executable.name", name);
	if (p->has_status && !p->sig)
		put_int(l, "process.exit.code", p->code);
	if (p->argv)
		put_str(l, "process.command_line", p->argv);
	if (p->argv)
		put_args(l, p);
	if (p->how[0])
		put_str(l, "libjoin.how", p->how);
#define X(key, member) put_ms(l, key, p->member);
	JR_OTLP_CPU(X)
#undef X
	put_ms(l, "libjoin.real_ms", jr_real(p));
#define X(member, ru)                                                                              \
	if (p->member >= 0)                                                                        \
		put_int(l, "libjoin." #member, p->member);
	JOIN_RUSAGE_FIELDS(X)
#undef X
	if (p->has_exit)
		put_bool(l, "libjoin.exit.exact", p->exit_exact);
	if (p->fork_approx)
		put_bool(l, "libjoin.fork.approximate", 1);
	put_bool(l, "libjoin.reaped", p->has_reap);
	if (p->has_reap && p->call[0])
		put_str(l, "libjoin.reap.call", p->call);
	if (p->has_reap && p->reaper > 0)
		put_int(l, "libjoin.reaper.pid", p->reaper);
	if (p->orphan) /* reaped by joinrun, the tree's subreaper, after its parent died */
		put_bool(l, "libjoin.orphan", 1);
	if (p->opaque > 0 && p->opaque < 4)
		put_str(l, "libjoin.opaque", jr_opaque_name(p->opaque));
	put_ms(l, "libjoin.reap.late_ms", p->late_ms);
	if (p->zombies || p->zombie_end)
		put_bool(l, "libjoin.zombie", 1);
	if (p->running_end)
		put_bool(l, "libjoin.running_at_end", 1);
	if (p->untracked)
		put_bool(l, "libjoin.tracked", 0);
}

/* --- ids and names ------------------------------------------------------- */

uint64_t *jr_otlp_ids(const struct jr_model *m, const struct jr_otlp_run *r)
{
	uint64_t *id = jr_xmalloc((m->n + 1) * sizeof *id);
	int n, *order = jr_tree_order(m, &n); /* parents before their children */
	memset(id, 0, (m->n + 1) * sizeof *id);
	for (int k = 0; k < n; k++) {
		const struct jr_proc *p = &m->p[order[k]];
		uint64_t parent = p->parent >= 0 ? id[p->parent] : r->parent;
		/* a process without a fork line: its pid and first sight stand for the instant */
		uint64_t t = p->has_fork ? (uint64_t)p->fork_ns
		                         : (uint64_t)p->seen_ns ^ (uint64_t)p->pid << 40;
		id[order[k]] = join_span_of(r->trace.trace, parent, t);
	}
	free(order);
	return id;
}

static void span_bytes(struct jr_arena *a, ProtobufCBinaryData *b, uint64_t v)
{
	b->len = 8;
	b->data = jr_arena_alloc(a, 8);
	for (int i = 0; i < 8; i++)
		b->data[i] = (uint8_t)(v >> (56 - 8 * i));
}

/* process.executable.name: the last exec's argv[0] when recorded and it extends the
 * command name (which the kernel cuts at 15 bytes), else the command name. */
static const char *exe_name(const struct jr_proc *p, char *buf, size_t n)
{
	const char *c = p->comm[0] ? p->comm : "?";
	if (p->argv && strlen(c) == 15) {
		size_t len = strcspn(p->argv, " ");
		const char *base = p->argv + len;
		while (base > p->argv && base[-1] != '/')
			base--;
		len -= base - p->argv;
		if (len > 15 && !strncmp(base, c, 15)) {
			snprintf(buf, n, "%.*s", (int)len, base);
			return buf;
		}
	}
	return c;
}

static const char *signame(int sig, char buf[32])
{
	const char *s = sigabbrev_np(sig);
	if (s)
		snprintf(buf, 32, "SIG%s", s);
	else
		snprintf(buf, 32, "signal %d", sig);
	return buf;
}

/* --- the span ------------------------------------------------------------ */

static Joinrun__Otlp__Span__Event *event(struct jr_arena *a, const struct jr_otlp_run *r,
                                         const char *name, int64_t t, struct kvs *attrs)
{
	Joinrun__Otlp__Span__Event *e =
	    NEW(a, Joinrun__Otlp__Span__Event, JOINRUN__OTLP__SPAN__EVENT__INIT);
	e->name = (char *)name;
	e->time_unix_nano = (uint64_t)(t + r->mono_to_unix);
	e->n_attributes = attrs->n;
	e->attributes = attrs->kv;
	return e;
}

static void events(struct jr_arena *a, Joinrun__Otlp__Span *s, const struct jr_proc *p,
                   const struct jr_otlp_run *r)
{
	s->events = jr_arena_alloc(a, 4 * sizeof *s->events);
	char sig[32];
	if (p->exec_ns) {
		struct kvs l = {.a = a};
		if (p->argv)
			put_str(&l, "process.command_line", p->argv);
		s->events[s->n_events++] = event(a, r, "exec", p->exec_ns, &l);
	}
	if (p->has_exit) {
		struct kvs l = {.a = a};
		if (p->has_status && p->sig)
			put_str(&l, "libjoin.signal", signame(p->sig, sig));
		else if (p->has_status)
			put_int(&l, "process.exit.code", p->code);
		put_bool(&l, "libjoin.exit.exact", p->exit_exact);
		s->events[s->n_events++] = event(a, r, "exit", p->exit_ns, &l);
	}
	if (p->has_reap) {
		struct kvs l = {.a = a};
		if (p->call[0])
			put_str(&l, "libjoin.reap.call", p->call);
		put_ms(&l, "libjoin.reap.late_ms", p->late_ms);
		s->events[s->n_events++] = event(a, r, "reap", p->reap_ns, &l);
	}
	if ((p->zombies || p->zombie_end) && p->has_exit) {
		struct kvs l = {.a = a};
		put_bool(&l, "libjoin.reaped", p->has_reap);
		s->events[s->n_events++] = event(a, r, "libjoin.zombie", p->exit_ns, &l);
	}
}

Joinrun__Otlp__Span *jr_otlp_span(struct jr_arena *a, const struct jr_model *m, int i,
                                  const uint64_t *ids, const struct jr_otlp_run *r)
{
	const struct jr_proc *p = &m->p[i];
	int64_t t0, t1;
	if (!ids[i] || !jr_span(m, p, &t0, &t1))
		return NULL;
	Joinrun__Otlp__Span *s = NEW(a, Joinrun__Otlp__Span, JOINRUN__OTLP__SPAN__INIT);
	s->trace_id.len = 16;
	s->trace_id.data = jr_arena_alloc(a, 16);
	memcpy(s->trace_id.data, r->trace.trace, 16);
	span_bytes(a, &s->span_id, ids[i]);
	uint64_t parent = p->parent >= 0 ? ids[p->parent] : r->parent;
	if (parent)
		span_bytes(a, &s->parent_span_id, parent);
	if (r->tracestate)
		s->trace_state = jr_arena_str(a, r->tracestate);
	char buf[256], st[48], sig[32];
	s->name = jr_arena_str(a, exe_name(p, buf, sizeof buf));
	s->kind = JOINRUN__OTLP__SPAN__SPAN_KIND__SPAN_KIND_INTERNAL;
	s->start_time_unix_nano = (uint64_t)(t0 + r->mono_to_unix);
	s->end_time_unix_nano = (uint64_t)(t1 + r->mono_to_unix);
	struct kvs l = {.a = a};
	process_attrs(&l, p, s->name);
	s->status = NEW(a, Joinrun__Otlp__Status, JOINRUN__OTLP__STATUS__INIT);
	if (jr_abnormal(p) && p->has_status) {
		char code[16];
		snprintf(code, sizeof code, "%d", p->code);
		put_str(&l, "error.type", p->sig ? signame(p->sig, sig) : code);
		s->status->code = JOINRUN__OTLP__STATUS__STATUS_CODE__STATUS_CODE_ERROR;
		s->status->message = jr_arena_str(a, jr_status(p, st));
	}
	s->n_attributes = l.n;
	s->attributes = l.kv;
	events(a, s, p, r);
	return s;
}

/* --- the request ----------------------------------------------------------- */

Joinrun__Otlp__ExportTraceServiceRequest *jr_otlp_request(struct jr_arena *a,
                                                          const struct jr_otlp_cfg *c,
                                                          Joinrun__Otlp__Span **spans, size_t n)
{
	struct kvs l = {.a = a};
	char host[256] = "";
	struct utsname u;
	put_str(&l, "service.name", c->service);
	for (int i = 0; i < c->nresource; i += 2)
		if (strcmp(c->resource[i], "service.name"))
			put_str(&l, c->resource[i], c->resource[i + 1]);
	if (gethostname(host, sizeof host - 1) == 0)
		put_str(&l, "host.name", host);
	put_str(&l, "os.type", "linux");
	if (uname(&u) == 0)
		put_str(&l, "os.version", u.release);
	put_str(&l, "telemetry.sdk.name", "libjoin");
	put_str(&l, "telemetry.sdk.language", "c");
	put_str(&l, "telemetry.sdk.version", JOIN_VERSION);
	Joinrun__Otlp__Resource *res =
	    NEW(a, Joinrun__Otlp__Resource, JOINRUN__OTLP__RESOURCE__INIT);
	res->n_attributes = l.n;
	res->attributes = l.kv;
	Joinrun__Otlp__ScopeSpans *ss =
	    NEW(a, Joinrun__Otlp__ScopeSpans, JOINRUN__OTLP__SCOPE_SPANS__INIT);
	ss->scope =
	    NEW(a, Joinrun__Otlp__InstrumentationScope, JOINRUN__OTLP__INSTRUMENTATION_SCOPE__INIT);
	ss->scope->name = "libjoin";
	ss->scope->version = JOIN_VERSION;
	ss->n_spans = n;
	ss->spans = spans;
	Joinrun__Otlp__ResourceSpans *rs =
	    NEW(a, Joinrun__Otlp__ResourceSpans, JOINRUN__OTLP__RESOURCE_SPANS__INIT);
	rs->resource = res;
	rs->n_scope_spans = 1;
	rs->scope_spans = jr_arena_alloc(a, sizeof *rs->scope_spans);
	rs->scope_spans[0] = ss;
	Joinrun__Otlp__ExportTraceServiceRequest *req =
	    NEW(a, Joinrun__Otlp__ExportTraceServiceRequest,
	        JOINRUN__OTLP__EXPORT_TRACE_SERVICE_REQUEST__INIT);
	req->n_resource_spans = 1;
	req->resource_spans = jr_arena_alloc(a, sizeof *req->resource_spans);
	req->resource_spans[0] = rs;
	return req;
}
