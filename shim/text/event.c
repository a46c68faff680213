/* SPDX-License-Identifier: MIT */
/* event.c - a ring event checked, then written as the log's text. */
#include "text/event.h"
#include "base/config.h"
#include "base/line.h"
#include "base/num.h"
#include "text/text.h"
#include <string.h>

int join_event_valid(struct join_event *ev)
{
	ev->comm[JOIN_COMM_MAX - 1] = 0;
	if (ev->pid <= 0)
		return 0;
	switch (ev->type) {
	case JOIN_EV_FORK:
		return ev->u.fork.child > 0 && ev->u.fork.how <= JOIN_HOW_UNKNOWN;
	case JOIN_EV_REAP:
		ev->u.reap.comm[JOIN_COMM_MAX - 1] = 0;
		return ev->u.reap.pid > 0 && ev->u.reap.how <= JOIN_HOW_UNKNOWN &&
		       ev->u.reap.call <= JOIN_CALL_PROC_JOIN;
	case JOIN_EV_EXIT:
		return 1;
	case JOIN_EV_EXEC:
		return ev->u.exec.len <= JOIN_EXEC_ARGS;
	case JOIN_EV_IMAGE:
		ev->u.image.path[JOIN_IMAGE_PATH - 1] = 0;
		return ev->u.image.pid > 0;
	}
	return 0;
}

static size_t await_line(char *buf, size_t cap, const struct join_rec *r)
{
	if (cap < 2)
		return 0;
	int k = join_fmt_await(buf, (int)(cap - 1), r, join_cfg.style);
	if (k < 0)
		return 0;
	buf[k] = '\n';
	return (size_t)k + 1;
}

/* An await record has no room for a namespace: a pid the collector could not put in
 * its own space is 0 there, and a '#' line before it says what it was. */
static size_t await_marked(char *buf, size_t cap, const struct join_rec *rec,
                           const struct join_self *me)
{
	if (!me->local_child)
		return await_line(buf, cap, rec);
	struct join_rec r = *rec;
	struct join_line l = {buf, cap, 0};
	join_line_cat(&l, JOIN_DIAG, "pid namespace ", NULL);
	join_line_u64(&l, me->pidns);
	join_line_str(&l, ": the next record's pid 0 is pid ");
	join_line_u64(&l, (uint64_t)me->local_child);
	join_line_str(&l, " there\n");
	if (!join_line_fits(&l))
		return 0;
	r.pid = 0;
	size_t n = await_line(buf + l.len, cap - l.len, &r);
	return n ? l.len + n : 0;
}

size_t join_event_line_as(char *buf, size_t cap, const struct join_event *ev,
                          const struct join_self *me)
{
	int jsonl = join_cfg.format == JOIN_FORMAT_JSONL;
	switch (ev->type) {
	case JOIN_EV_FORK:
		return jsonl ? join_jsonl_fork(buf, cap, me, ev->t_ns, ev->u.fork.child,
		                               ev->u.fork.how)
		             : 0;
	case JOIN_EV_REAP:
		return jsonl ? join_jsonl_reap(buf, cap, me, ev->u.reap.reap_ns, &ev->u.reap)
		             : await_marked(buf, cap, &ev->u.reap, me);
	case JOIN_EV_EXEC: /* JSONL only: the await stream has no exec record */
		return jsonl ? join_jsonl_exec(buf, cap, me, ev->t_ns, &ev->u.exec.args[0],
		                               ev->u.exec.unknown ? (size_t)-1 : ev->u.exec.len,
		                               ev->u.exec.truncated)
		             : 0;
	}
	return 0;
}

/* As its writer saw it: pids of its namespace, which the line names.  In a tree
 * with a collector, whose space the log's pids are, they are local_* and null. */
size_t join_event_line(char *buf, size_t cap, const struct join_event *ev)
{
	struct join_self me = {.pid = ev->pid, .pidns = ev->pidns};
	memcpy(me.comm, ev->comm, sizeof me.comm);
	if (ev->pidns && join_cfg.ring_path[0]) {
		struct join_event local = *ev;
		me.local_pid = ev->pid, me.pid = local.pid = 0;
		if (ev->type == JOIN_EV_FORK)
			me.local_child = ev->u.fork.child, local.u.fork.child = 0;
		if (ev->type == JOIN_EV_REAP) {
			me.local_child = ev->u.reap.pid, local.u.reap.pid = 0;
			me.local_tid = ev->u.reap.tid, local.u.reap.tid = 0;
		}
		return join_event_line_as(buf, cap, &local, &me);
	}
	return join_event_line_as(buf, cap, ev, &me);
}

/* In the await stream a diagnostic is a '#' line, so the stream stays parsable. */
static size_t zombie_await(char *buf, size_t cap, pid_t parent, pid_t child, const char *comm,
                           uint64_t age_ms)
{
	char q[64];
	struct join_line l = {buf, cap, 0};
	size_t k = join_quote(q, sizeof q - 1, comm, strlen(comm));
	q[k < sizeof q ? k : sizeof q - 1] = 0;
	join_line_cat(&l, JOIN_DIAG, "zombie: child ", NULL);
	join_line_u64(&l, (uint64_t)child);
	join_line_cat(&l, " ", q, " of ", NULL);
	join_line_u64(&l, (uint64_t)parent);
	join_line_str(&l, " unreaped for ");
	join_line_u64(&l, age_ms);
	join_line_str(&l, " ms\n");
	return join_line_len(&l);
}

size_t join_zombie_line(char *buf, size_t cap, const struct join_self *parent, uint64_t t_ns,
                        pid_t child, const char *comm, uint64_t age_ms)
{
	if (join_cfg.format == JOIN_FORMAT_JSONL)
		return join_jsonl_zombie(buf, cap, parent, t_ns, child, comm, age_ms);
	return zombie_await(buf, cap, parent->pid, child, comm, age_ms);
}
