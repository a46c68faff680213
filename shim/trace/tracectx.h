/* SPDX-License-Identifier: MIT */
/*
 * tracectx.h - the W3C trace context of a process tree (OpenTelemetry export,
 * docs/DESIGN.md "Trace context"): TRACEPARENT parsed and written, and the span
 * id of each process derived from what the library in the process and the
 * exporter in joinrun both know: the trace, the span of the process that forked
 * it and the fork's instant (the t_ns of its fork event).  Async-signal-safe,
 * no allocation: it runs on the exec path of a vfork child.
 */
#ifndef JOIN_TRACECTX_H
#define JOIN_TRACECTX_H
#include <stdint.h>

#define JOIN_TRACEPARENT_LEN 55 /* "00-" 32 hex "-" 16 hex "-" 2 hex */

struct join_tracectx {
	uint8_t trace[16];
	uint64_t span; /* 0: none (a root without a parent) */
	uint8_t flags;
};

/* The span of a child forked at fork_ns by the process whose span is parent. */
uint64_t join_span_of(const uint8_t trace[16], uint64_t parent, uint64_t fork_ns);
/* A TRACEPARENT value into c: 0, or -1 if it is not one (W3C: ignore it). */
int join_traceparent_parse(const char *s, struct join_tracectx *c);
/* c as a TRACEPARENT value: JOIN_TRACEPARENT_LEN bytes and a NUL. */
void join_traceparent_format(char out[JOIN_TRACEPARENT_LEN + 1], const struct join_tracectx *c);
/* n bytes as 2n lowercase hex digits (no NUL). */
void join_hex(char *out, const uint8_t *b, int n);
#endif
