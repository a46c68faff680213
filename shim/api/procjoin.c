/* SPDX-License-Identifier: MIT */
/*
 * procjoin.c - WASIX proc_join over the engine's reap path.
 *
 * As join_await does, a join peeks (waitid WNOWAIT) with the caller's
 * selection, then reaps the peeked child with WNOHANG, so the exit is never
 * consumed before it is recorded and reported, and the table and the log
 * see the reap once.  A stop (JOIN_WAKE_STOPPED) is consumed with
 * waitid(WSTOPPED) alone, which never takes an exit.
 */
#include "base/api.h"
#include "base/clock.h"
#include "engine.h"
#include "join.h"
#include "child/reap.h"
#include <errno.h>
#include <limits.h>
#include <string.h>

/* The outputs of one call. */
struct out {
	join_option_pid_t *pid;
	join_status_t *status;
	join_times_t *t;
};

/* Whom to wait for; 0 when *pid names no possible child. */
static int target(const join_option_pid_t *pid, idtype_t *type, id_t *id)
{
	if (pid->tag == JOIN_PID_NONE) {
		*type = P_ALL, *id = 0;
		return 1;
	}
	*type = P_PID, *id = pid->pid;
	return pid->pid != 0 && pid->pid <= INT_MAX;
}

static void clear(struct out *o)
{
	memset(o->pid, 0, sizeof *o->pid);
	memset(o->status, 0, sizeof *o->status);
	if (o->t)
		memset(o->t, 0, sizeof *o->t);
}

static void some(struct out *o, pid_t p)
{
	o->pid->tag = JOIN_PID_SOME;
	o->pid->pid = (uint32_t)p;
}

/* Status word of a reaped child into the WASIX status. */
static void exited(join_status_t *s, int st)
{
	if (WIFSIGNALED(st)) {
		s->tag = JOIN_STATUS_EXIT_SIGNAL;
		s->u.exit_signal.signal = (uint8_t)WTERMSIG(st);
	} else {
		s->tag = JOIN_STATUS_EXIT_NORMAL;
		s->u.exit_normal.code = (uint16_t)WEXITSTATUS(st);
	}
}

static void times(join_times_t *t, const struct join_rec *r)
{
	if (!t)
		return;
	t->user_ns = r->user_us * 1000;
	t->sys_ns = r->sys_us * 1000;
	t->fork_ns = r->has_fork ? r->fork_ns : 0;
	t->exit_ns = r->exit_ns;
	t->real_ns = t->fork_ns && t->exit_ns >= t->fork_ns ? t->exit_ns - t->fork_ns : 0;
	t->exact = r->exact;
}

/* Takes the stop the peek saw.  1: taken, into *si; 0: gone meanwhile (look again). */
static int take_stop(pid_t pid, siginfo_t *si)
{
	si->si_pid = 0;
	if (join_call_waitid(P_PID, (id_t)pid, si, WSTOPPED | WNOHANG | __WALL) < 0)
		return 0;
	return si->si_pid != 0;
}

/* Reaps the exited child in si.  1: reaped and reported into o; 0: another
 * thread took it (look again); -1 with errno. */
static int take_exit(const siginfo_t *si, struct out *o)
{
	struct join_rec r;
	struct rusage ru;
	int st, rec = join_active(); /* secure execution: no records, no /proc reads */
	if (rec) {
		join_rec_begin(&r, si, JOIN_CALL_PROC_JOIN);
	} else {
		memset(&r, 0, sizeof r);
		r.exit_ns = join_now_ns();
	}
	pid_t got = join_reap_pid(si->si_pid, &st, __WALL, &ru);
	if (got <= 0)
		return got;
	if (rec) {
		join_rec_end(&r, st, &ru);
	} else {
		r.user_us = join_tv_us(ru.ru_utime);
		r.sys_us = join_tv_us(ru.ru_stime);
	}
	some(o, got);
	exited(o->status, st);
	times(o->t, &r);
	return 1;
}

static uint16_t join(idtype_t type, id_t id, join_flags_t flags, struct out *o)
{
	int opts = WEXITED | __WALL;
	if (flags & JOIN_NON_BLOCKING)
		opts |= WNOHANG;
	if (flags & JOIN_WAKE_STOPPED)
		opts |= WSTOPPED;
	for (;;) {
		siginfo_t si;
		int k = join_peek(type, id, opts, &si);
		if (k < 0 && errno == EINTR)
			continue; /* the handler has run; a join is never interrupted */
		if (k < 0) {
			if (errno == ECHILD)
				join_reap_echild(type, id);
			return join_wasi_errno(errno);
		}
		if (k == 0) { /* nonblocking, nothing yet */
			some(o, 0);
			return JOIN_ESUCCESS;
		}
		if (!join_si_exited(&si)) {
			if (!take_stop(si.si_pid, &si))
				continue;
			some(o, si.si_pid);
			o->status->tag = JOIN_STATUS_STOPPED;
			o->status->u.stopped.signal = (uint8_t)si.si_status;
			return JOIN_ESUCCESS;
		}
		k = take_exit(&si, o);
		if (k < 0)
			return join_wasi_errno(errno);
		if (k > 0)
			return JOIN_ESUCCESS;
	}
}

JOIN_API uint16_t join_proc_join_timed(join_option_pid_t *pid, join_flags_t flags,
                                       join_status_t *status, join_times_t *t)
{
	idtype_t type;
	id_t id;
	if (!pid || !status || pid->tag > JOIN_PID_SOME)
		return JOIN_EINVAL;
	int err = errno, known = target(pid, &type, &id); /* read *pid before clearing it */
	struct out o = {pid, status, t};
	clear(&o);
	uint16_t e = known ? join(type, id, flags, &o) : JOIN_ECHILD;
	errno = err;
	return e;
}

JOIN_API uint16_t join_proc_join(join_option_pid_t *pid, join_flags_t flags, join_status_t *status)
{
	return join_proc_join_timed(pid, flags, status, NULL);
}
