/* SPDX-License-Identifier: MIT */
/*
 * emit.c - a record leaves the process: as a binary event into the tree's
 * ring when it has a collector (no system call), else formatted here and
 * written in one write(2) (the direct path).
 */
#include "base/hotpage.h"
#include "base/self.h"
#include "base/sys.h"
#include "emit.h"
#include "base/clock.h"
#include "base/config.h"
#include "text/event.h"
#include "base/line.h"
#include "log/log.h"
#include "ring/pidns.h"
#include "ring/producer.h"
#include "ring/ring.h"
#include <string.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int jsonl(void)
{
	return join_cfg.format == JOIN_FORMAT_JSONL;
}

/* The writer: us; our comm only where JSONL prints it. */
static void from_us(struct join_event *ev, int type, uint64_t t_ns)
{
	ev->type = (uint8_t)type;
	ev->t_ns = t_ns;
	ev->pid = join_self_pid();
	ev->pidns = join_pidns_mark(); /* one comparison, once the process knows */
	ev->comm[0] = 0;
	if (jsonl()) {
		prctl(PR_GET_NAME, ev->comm);
		ev->comm[JOIN_COMM_MAX - 1] = 0;
	}
}

/* A JSON line may be long: its buffer in a frame of its own, so that the await
 * path's stack stays shallow (after a fork every page of stack it reaches is one
 * more page fault). */
static __attribute__((noinline)) void write_jsonl(const struct join_event *ev)
{
	char buf[1024];
	size_t n = join_event_line(buf, sizeof buf, ev);
	if (n)
		join_log_write_as(buf, n, ev->pid);
}

/* The await text has no field for it: once per writer, a '#' line. */
static __attribute__((noinline)) void say_pidns(const struct join_event *ev)
{
	char buf[160];
	struct join_line l = {buf, sizeof buf, 0};
	join_line_cat(&l, JOIN_DIAG, "pid ", NULL);
	join_line_u64(&l, (uint64_t)ev->pid);
	join_line_str(&l, ": its records' pids are those of pid namespace ");
	if (ev->pidns == JOIN_PIDNS_UNKNOWN)
		join_line_str(&l, "unknown");
	else
		join_line_u64(&l, ev->pidns);
	join_line_str(&l, "\n");
	if (join_line_fits(&l))
		join_log_write_as(buf, l.len, ev->pid);
}

/* An await record is at most 330 bytes (four numbers and an exit string of 127
 * bytes, quotes doubled). */
void join_emit_here(const struct join_event *ev)
{
	char buf[384];
	if (jsonl()) {
		write_jsonl(ev);
		return;
	}
	if (ev->pidns && join_pidns_say(ev->pid))
		say_pidns(ev);
	size_t n = join_event_line(buf, sizeof buf, ev);
	if (n)
		join_log_write_as(buf, n, ev->pid);
}

/* A writer of another pid namespace says who it is before its first event, and
 * claims its slots with pid 0: no pid of the collector's to look at. */
JOIN_CHILD_PATH int join_emit_put(struct join_ring *r, const struct join_event *ev)
{
	if (!ev->pidns)
		return join_ring_put(r, ev, ev->pid);
	join_pidns_hello(join_cfg.ring_path, ev->pid, ev->pidns);
	return join_ring_put(r, ev, 0);
}

/* The collector is dead: the first process to see it writes what it left in the
 * ring (closed first, so that nothing more goes in), on the direct path. */
static void takeover(struct join_ring *r)
{
	uint32_t none = 0;
	pid_t self = join_self_pid();
	if (__atomic_load_n(&r->h.drainer, __ATOMIC_ACQUIRE) ||
	    !__atomic_compare_exchange_n(&r->h.drainer, &none, (uint32_t)self, 0, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE))
		return;
	uint64_t end = join_ring_close(r);
	uint64_t pos = __atomic_load_n(&r->h.head, __ATOMIC_ACQUIRE);
	struct join_event ev;
	int waited = 0;
	while (pos < end) {
		int k = join_ring_take(r, pos, &ev, waited);
		if (k == 0) { /* a producer between its add and its publish */
			struct timespec ms = {0, 1000000};
			nanosleep(&ms, NULL);
			waited++;
			continue;
		}
		if (k == 1)
			join_emit_here(&ev);
		waited = 0;
		join_ring_release(r, ++pos);
	}
}

int join_emit_ring(const struct join_event *ev)
{
	struct join_ring *r = join_producer_ring();
	if (!r)
		return 0;
	if (join_emit_put(r, ev))
		return 1;
	if (!join_ring_alive(r))
		takeover(r); /* what a dead collector left, before ours */
	return 0;
}

static void send(const struct join_event *ev)
{
	if (!join_emit_ring(ev))
		join_emit_here(ev);
}

void join_emit_reap(const struct join_rec *r)
{
	struct join_event ev;
	if (join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	from_us(&ev, JOIN_EV_REAP, r->reap_ns);
	ev.u.reap = *r;
	send(&ev);
}

/* The await stream has no fork line, but a watching collector needs the event, and
 * so does one that puts another namespace's pids into its own (it looks for the
 * child while it lives). */
void join_emit_fork(pid_t child, int how, uint64_t t_ns)
{
	struct join_event ev;
	if (join_cfg.log_kind == JOIN_LOG_OFF ||
	    (!jsonl() && !join_cfg.watch && !(join_cfg.ring_path[0] && join_pidns_mark())))
		return;
	from_us(&ev, JOIN_EV_FORK, t_ns);
	ev.u.fork.child = child;
	ev.u.fork.how = (uint8_t)how;
	send(&ev);
}

/* Not the cached pid: a vfork child shares the cache with its parent. */
/* A watched child's exit instant: the bare system call, not the vDSO, whose code
 * page a forked child has not mapped (the fault costs more than the call). */
JOIN_CHILD_PATH static uint64_t exit_now_ns(void)
{
	struct timespec ts;
	if (join_sys_bare2(SYS_clock_gettime, CLOCK_MONOTONIC, (long)&ts) < 0)
		return join_now_ns();
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

JOIN_CHILD_PATH void join_emit_exit_self(int status)
{
	struct join_event ev;
	if (!join_cfg.watch || join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	/* After an unshare a vfork child is in another namespace, in its parent's
	 * memory: the pidfd times its exit, rather than a verdict written there. */
	if (join_pidns_unshared())
		return;
	struct join_ring *r = join_producer_ring();
	/* An exit instant is worth a slot only while the ring has room to spare: a tree
	 * whose 10,000 children exit at once must not fill it for the records. */
	if (!r || join_ring_room(r) < JOIN_RING_SLOTS / 2)
		return;
	memset(&ev.u, 0, sizeof ev.u);
	ev.type = JOIN_EV_EXIT;
	ev.t_ns = exit_now_ns();
	ev.pid = getpid(); /* bound in the parent already: no lazy binding in a child */
	ev.pidns = join_pidns_mark();
	/* Its name, for the reap record of a parent that could not read it (no
	 * descriptor left): the bare call, nothing to bind or fault in in a child. */
	ev.comm[0] = 0;
	join_sys_bare2(SYS_prctl, PR_GET_NAME, (long)ev.comm);
	ev.comm[JOIN_COMM_MAX - 1] = 0;
	ev.u.exit.status = status;
	join_emit_put(r, &ev);
}
