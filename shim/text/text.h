/* SPDX-License-Identifier: MIT */
/*
 * text.h - the engine's text: Plan 9 quoting, exit strings, await records
 * with properly formatted truncation, their parser, and JSON lines.
 * Everything here is async-signal-safe (no malloc, no stdio, no locale)
 * except join_parse_await, which returns one malloc'd block.
 */
#ifndef JOIN_TEXT_H
#define JOIN_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include "join.h"
#include "base/record.h"

/* quote.c: Plan 9 %q.  Does s (len bytes) need quotes: empty, a byte <= ' ', or a quote? */
int join_needs_quote(const char *s, size_t len);
/* Writes s quoted as %q would into out (at most cap bytes, no NUL); returns the full length. */
size_t join_quote(char *out, size_t cap, const char *s, size_t len);

/* exitstr.c: the signal vocabulary ("sys: segmentation violation", "kill", ...,
 * "sys: signal N" for the rest, written into tmp), in Plan 9 or plan9port style. */
const char *join_signame(int sig, int style, char tmp[32]);
/* Exit string of a wait status: "" for exit 0, else "<comm> <pid>: <reason>"
 * (plan9 style, comm "?" if unknown), at most 127 bytes; or plan9port's
 * bare forms.  Writes a NUL; returns the length. */
size_t join_exitstr(char out[128], int style, pid_t pid, const char *comm, int status);

/* await.c: formats r as "%d %lu %lu %lu %q" into s, at most n bytes, no NUL,
 * truncated as docs/DESIGN.md, "The await text", says; returns the length, -1 if n <= 0. */
int join_fmt_await(char *s, int n, const struct join_rec *r, int style);
/* Milliseconds of a record, rounded to nearest: user, sys, real (0 if unknown). */
void join_rec_ms(const struct join_rec *r, int style, unsigned long ms[3]);

/* parse.c: parses exactly five await fields; one malloc'd JoinWaitmsg with
 * msg inside, or NULL with errno EINVAL ("couldn't parse wait message"). */
JoinWaitmsg *join_parse_await(const char *s, size_t len);

/* jsonstr.c: JSON string body of s (len bytes, any bytes: invalid UTF-8 becomes
 * \ufffd, controls \u00XX); writes at most cap bytes, returns the full length. */
size_t join_json_escape(char *out, size_t cap, const char *s, size_t len);

/* jsonl.c: one event line each, '\n'-terminated, no NUL; returns its length,
 * or 0 if cap was too small (nothing usable written). */
struct join_self {
	pid_t pid;
	char comm[JOIN_COMM_MAX];
	/* PID namespaces (docs/DESIGN.md): pidns 0, the line's pids are the log's.  Else
	 * the pids are those of namespace pidns, as the writer saw them, unless a
	 * collector put them in its own space: then a pid it could not is null, and
	 * local_pid or local_child (non-zero) gives it as namespace pidns has it. */
	uint64_t pidns;
	pid_t local_pid, local_child, local_tid;
};
struct join_live { /* a child alive or unreaped at the exit report */
	pid_t child;
	uint8_t zombie;
	uint64_t age_ms; /* running: since the fork; zombie: since the exit, if exit_ns */
	char comm[JOIN_COMM_MAX];
	uint64_t fork_ns, exit_ns; /* 0: unknown (an exit is unknown unless watched) */
};
size_t join_jsonl_fork(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                       pid_t child, int how);
size_t join_jsonl_exit(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                       const struct join_rec *r);
size_t join_jsonl_reap(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                       const struct join_rec *r);
size_t join_jsonl_zombie(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                         pid_t child, const char *child_comm, uint64_t age_ms);
size_t join_jsonl_report(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                         const struct join_live *v, size_t n);
/* An exec event: args holds len bytes of NUL-terminated arguments (len (size_t)-1:
 * unknown, "argv": null).  Arguments that do not fit in cap are left out, and the
 * line says "argv_truncated": true, as it does when truncated is set. */
size_t join_jsonl_exec(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                       const char *args, size_t len, int truncated);
/* A diagnostic as a warning event (log/diag.c words it and fills this in). */
struct join_warning { /* var and value NULL when it names none */
	const char *text, *var, *value;
	size_t ntext, nvar, nvalue;
	uint64_t lost; /* records lost, when it says so: "lost" and "errno" fields */
	int lost_err;
};
size_t join_jsonl_warning(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                          const struct join_warning *x);
#endif
