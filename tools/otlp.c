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

struct export
{
	const struct jr_otlp_cfg *c;
	FILE *file;
	int64_t deadline;
	long sent, failed, rejected, written;
	char *why;
};

static void batch(struct export *x, struct jr_arena *a, Joinrun__Otlp__Span **spans, size_t n)
{
	Joinrun__Otlp__ExportTraceServiceRequest *req = jr_otlp_request(a, x->c, spans, n);
	char *json = x->c->json || x->file ? jr_otlp_json(&req->base) : NULL;
	if (x->file && json && fprintf(x->file, "%s\n", json) > 0)
		x->written += n;
	if (!x->c->send) {
		free(json);
		return;
	}
	if (x->why) { /* the endpoint failed already: the rest is not tried */
		x->failed += n;
		free(json);
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
	int rc =
	    jr_otlp_post(x->c, x->c->json ? (void *)json : pb, len, x->deadline, &rejected, &why);
	if (rc < 0) {
		x->failed += n;
		x->why = why;
	} else {
		x->sent += n - rejected;
		x->rejected += rejected;
		if (why) {
			fprintf(stderr, "joinrun: otlp: %s: %s\n", x->c->shown, why);
			free(why);
		}
	}
	free(pb);
	free(json);
}

int jr_otlp_export(const struct jr_otlp_cfg *c, const struct jr_model *m,
                   const struct jr_otlp_run *r, const char *log)
{
	struct export x = {.c = c};
	x.deadline = clock_ns(CLOCK_MONOTONIC) + (int64_t)c->timeout_ms * 1000000;
	if (c->file && !(x.file = fopen(c->file, "a"))) {
		fprintf(stderr, "joinrun: --otlp-file %s: %m\n", c->file);
		return -1;
	}
	uint64_t *ids = jr_otlp_ids(m, r);
	Joinrun__Otlp__Span *spans[BATCH];
	size_t n = 0;
	struct jr_arena a = {0};
	long total = 0;
	for (int i = 0; i < m->n; i++) {
		if (!(spans[n] = jr_otlp_span(&a, m, i, ids, r)))
			continue;
		total++;
		if (++n == BATCH) {
			batch(&x, &a, spans, n);
			jr_arena_free(&a);
			n = 0;
		}
	}
	if (n)
		batch(&x, &a, spans, n);
	jr_arena_free(&a);
	free(ids);
	int rc = 0;
	if (x.file && fclose(x.file) != 0) {
		fprintf(stderr, "joinrun: --otlp-file %s: %m\n", c->file);
		rc = -1;
	}
	if (x.why) {
		fprintf(stderr, "joinrun: otlp: %ld of %ld spans not exported to %s: %s; ",
		        x.failed, total, c->shown, x.why);
		if (log)
			fprintf(stderr, "send them again with: joinrun --report %s --otlp\n", log);
		else
			fprintf(stderr,
			        "keep a log (-o FILE) to send them again with joinrun --report "
			        "FILE --otlp\n");
		free(x.why);
		rc = -1;
	} else if (x.rejected) {
		fprintf(stderr, "joinrun: otlp: %s rejected %ld of %ld spans\n", c->shown,
		        x.rejected, total);
	}
	return rc;
}
