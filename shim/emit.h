/* SPDX-License-Identifier: MIT */
/* emit.h - records leave the process: to the tree's collector, or to the log. */
#ifndef JOIN_EMIT_H
#define JOIN_EMIT_H
#include "base/record.h"
#include "text/text.h"

void join_emit_reap(const struct join_rec *r);
void join_emit_fork(pid_t child, int how, uint64_t t_ns);
/* Watch mode: this process is exiting (status as wait gives it, -1 unknown); the
 * collector takes the instant as its exact exit. */
void join_emit_exit_self(int status);
struct join_event;
/* The direct path: ev written by this process, to the log of ev's writer (a %p log
 * names the writer's pid: a process that writes what a dead collector left). */
void join_emit_here(const struct join_event *ev);
/* Into the tree's ring: 1 if the collector has ev, 0 if the caller writes it. */
int join_emit_ring(const struct join_event *ev);
/* ev into r as its writer claims slots (pid 0 from another pid namespace, after its
 * hello); 1 if it went in.  Safe in a forked or vforked child. */
struct join_ring;
int join_emit_put(struct join_ring *r, const struct join_event *ev);
#endif
