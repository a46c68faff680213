/* SPDX-License-Identifier: MIT */
/*
 * otlp.c - the export of one tree: its spans in batches of at most 512, each
 * batch one ExportTraceServiceRequest, sent (OTLP/HTTP, protobuf or JSON) and/or
 * appended to --otlp-file as one OTLP/JSON line.  The export never changes the
 * command's exit status or its log: a failure is one message on stderr that says
 * how to send the tree again (joinrun --report LOG --otlp).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "otlp.h"
#include "tools.h"

#define BATCH 512

static int64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t jr_otlp_now(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t jr_mono_to_unix(void)
{
	return clock_ns(CLOCK_REALTIME) - clock_ns(CLOCK_MONOTONIC);
}

/* The run's trace as joinrun recorded it in its fork line ("trace_id", "parent_span_id",
 * "unix_ns"), so that a saved log is sent again with the same ids. */
void jr_otlp_run_of(const struct jr_otlp_cfg *c, const struct jr_model *m, struct jr_otlp_run *r)
{
	memset(r, 0, sizeof *r);
	jr_otlp_trace(c, &r->trace, &r->parent);
	r->tracestate = c->tracestate;
	r->mono_to_unix = jr_mono_to_unix();
	FILE *f = m->name ? fopen(m->name, "r") : NULL;
	char *line = NULL;
	size_t cap = 0;
	while (f && getline(&line, &cap, f) > 0) {
		if (!strstr(line, "\"joinrun\"") || !strstr(line, "\"trace_id\""))
			continue;
		json_t *o = json_loads(line, 0, NULL);
		const char *tid = json_string_value(json_object_get(o, "trace_id"));
		const char *pid = json_string_value(json_object_get(o, "parent_span_id"));
		json_t *unix_ns = json_object_get(o, "unix_ns"), *t = json_object_get(o, "t_ns");
		char tp[JOIN_TRACEPARENT_LEN + 1];
		struct join_tracectx ctx;
		snprintf(tp, sizeof tp, "00-%.32s-%.16s-01", tid ? tid : "",
		         pid && strlen(pid) == 16 ? pid : "0000000000000001");
		if (tid && join_traceparent_parse(tp, &ctx) == 0) {
			memcpy(r->trace.trace, ctx.trace, 16);
			r->parent = pid && strlen(pid) == 16 ? ctx.span : 0;
			if (json_is_integer(unix_ns) && json_is_integer(t))
				r->mono_to_unix =
				    json_integer_value(unix_ns) - json_integer_value(t);
		}
		json_decref(o);
		break;
	}
	free(line);
	if (f)
		fclose(f);
}

struct batcher {
	const struct jr_otlp_cfg *c;
	FILE *file;                      /* --otlp-file, or NULL */
	int send;                        /* to the endpoint */
	int64_t deadline;                /* 0: each request the timeout from its start */
	struct jr_otlp_sent *sent;       /* ids delivered, added to; or NULL */
	const struct jr_otlp_sent *skip; /* ids not to send again */
	long total, failed, rejected;
	char *why;
	Joinrun__Otlp__Span *span[BATCH];
	uint64_t id[BATCH];
	size_t n;
	struct jr_arena a;
};

static void post(struct batcher *x, Joinrun__Otlp__ExportTraceServiceRequest *req, char *json)
{
	if (x->why) { /* the endpoint failed already: the rest is not tried */
		x->failed += x->n;
		return;
	}
	uint8_t *pb = NULL;
	size_t len;
	if (x->c->json) {
		len = strlen(json);
	} else {
		len = joinrun__otlp__export_trace_service_request__get_packed_size(req);
		pb = jr_xmalloc(len ? len : 1);
		joinrun__otlp__export_trace_service_request__pack(req, pb);
	}
	long rejected;
	char *why;
	int64_t deadline =
	    x->deadline ? x->deadline : jr_otlp_now() + (int64_t)x->c->timeout_ms * 1000000;
	if (jr_otlp_post(x->c, x->c->json ? (void *)json : pb, len, deadline, &rejected, &why) <
	    0) {
		x->failed += x->n;
		x->why = why;
	} else {
		x->rejected += rejected;
		for (size_t k = 0; x->sent && k < x->n; k++)
			jr_otlp_sent_add(x->sent, x->id[k]);
		if (why) {
			fprintf(stderr, "joinrun: otlp: %s: %s\n", x->c->shown, why);
			free(why);
		}
	}
	free(pb);
}

/* The spans gathered: one request, to the file and/or the endpoint. */
static void flush(struct batcher *x)
{
	if (!x->n)
		return;
	Joinrun__Otlp__ExportTraceServiceRequest *req = jr_otlp_request(&x->a, x->c, x->span, x->n);
	char *json = x->c->json || x->file ? jr_otlp_json(&req->base) : NULL;
	if (x->file && json)
		fprintf(x->file, "%s\n", json);
	if (x->send)
		post(x, req, json);
	free(json);
	jr_arena_free(&x->a);
	x->n = 0;
}

static void add(struct batcher *x, const struct jr_model *m, int i, const uint64_t *ids,
                const struct jr_otlp_run *r)
{
	Joinrun__Otlp__Span *s = jr_otlp_span(&x->a, m, i, ids, r);
	if (!s)
		return;
	x->total++;
	x->span[x->n] = s;
	x->id[x->n++] = ids[i];
	if (x->n == BATCH)
		flush(x);
}

int jr_otlp_send_some(const struct jr_otlp_cfg *c, const struct jr_model *m,
                      const struct jr_otlp_run *r, const int *pick, int n,
                      struct jr_otlp_sent *sent)
{
	struct batcher x = {.c = c, .send = 1, .sent = sent};
	uint64_t *ids = jr_otlp_ids(m, r);
	for (int k = 0; k < n; k++)
		add(&x, m, pick[k], ids, r);
	flush(&x);
	free(ids);
	free(x.why);
	return x.failed ? -1 : 0;
}

/* Every span of m through x, but those x->skip holds when sending. */
static void all(struct batcher *x, const struct jr_model *m, const uint64_t *ids,
                const struct jr_otlp_run *r)
{
	for (int i = 0; i < m->n; i++)
		if (!x->send || !jr_otlp_sent_has(x->skip, ids[i]))
			add(x, m, i, ids, r);
	flush(x);
}

static void failure(const struct jr_otlp_cfg *c, const struct batcher *x, long total,
                    const char *log)
{
	fprintf(stderr, "joinrun: otlp: %ld of %ld spans not exported to %s: %s; ", x->failed,
	        total, c->shown, x->why);
	if (log)
		fprintf(stderr, "send them again with: joinrun --report %s --otlp\n", log);
	else
		fprintf(stderr, "keep a log (-o FILE) to send them again with joinrun --report "
		                "FILE --otlp\n");
}

int jr_otlp_export(const struct jr_otlp_cfg *c, const struct jr_model *m,
                   const struct jr_otlp_run *r, const char *log, int64_t deadline,
                   const struct jr_otlp_sent *skip)
{
	struct batcher x = {.c = c, .skip = skip};
	x.deadline = deadline ? deadline : jr_otlp_now() + (int64_t)c->timeout_ms * 1000000;
	if (c->file && !(x.file = fopen(c->file, "a"))) {
		fprintf(stderr, "joinrun: --otlp-file %s: %m\n", c->file);
		return -1;
	}
	uint64_t *ids = jr_otlp_ids(m, r);
	int rc = 0;
	if (x.file) { /* the file takes every span, whatever was sent while the tree ran */
		all(&x, m, ids, r);
		if (fclose(x.file) != 0) {
			fprintf(stderr, "joinrun: --otlp-file %s: %m\n", c->file);
			rc = -1;
		}
		x.file = NULL;
	}
	long total = 0;
	if (c->send) {
		x.send = 1;
		x.total = 0;
		all(&x, m, ids, r);
		total = x.total + (skip ? (long)skip->n : 0);
	}
	free(ids);
	if (x.why) {
		failure(c, &x, total, log);
		free(x.why);
		rc = -1;
	} else if (x.rejected) {
		fprintf(stderr, "joinrun: otlp: %s rejected %ld of %ld spans\n", c->shown,
		        x.rejected, total);
	}
	return rc;
}
