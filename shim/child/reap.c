/* SPDX-License-Identifier: MIT */
/*
 * reap.c - the wait family under the table.
 *
 * A wait is served in two steps: waitid(WNOWAIT) with the caller's own
 * selection peeks at the next event (and blocks exactly where the caller's
 * call would), then the peeked child is reaped with WNOHANG.  Between the
 * two the child is still a zombie, so /proc/<pid>/comm can be read for the
 * exit string.  If another thread reaps it first, we look again: the caller
 * sees one call, with the same blocking, EINTR and ECHILD as native.
 */
#include "child/reap.h"
#include "base/clock.h"
#include "base/config.h"
#include "emit.h"
#include "engine.h"
#include "ring/pidns.h"
#include "base/proc.h"
#include "table/table.h"
#include "base/hotpage.h"
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Options each call accepts; anything else goes to the kernel unchanged (EINVAL). */
#define W4_OPTS (WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)
#define WID_OPTS                                                                                   \
	(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | WNOWAIT | __WNOTHREAD | __WCLONE | __WALL)

int join_peek(idtype_t type, id_t id, int options, siginfo_t *si)
{
	si->si_pid = 0;
	if (join_call_waitid(type, id, si, options | WNOWAIT) < 0)
		return -1;
	return si->si_pid != 0;
}

int join_si_exited(const siginfo_t *si)
{
	return si->si_code == CLD_EXITED || si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED;
}

int join_si_status(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return (si->si_status & 0xff) << 8;
	case CLD_KILLED:
		return si->si_status & 0x7f;
	case CLD_DUMPED:
		return (si->si_status & 0x7f) | 0x80;
	case CLD_STOPPED:
	case CLD_TRAPPED:
		return (si->si_status & 0xff) << 8 | 0x7f;
	default:
		return 0xffff; /* CLD_CONTINUED */
	}
}

/* comm costs a /proc read: only the records that print it pay for it. */
static int wants_comm(const siginfo_t *si)
{
	if (join_cfg.format == JOIN_FORMAT_JSONL)
		return 1;
	if (join_cfg.style == JOIN_STYLE_P9P)
		return 0;
	return !(si->si_code == CLD_EXITED && si->si_status == 0);
}

void join_rec_begin(struct join_rec *r, const siginfo_t *si, int call)
{
	memset(r, 0, sizeof *r);
	r->pid = si->si_pid;
	r->call = (uint8_t)call;
	r->how = JOIN_HOW_UNKNOWN;
	/* Not through a /proc of another pid namespace: it would name someone else. */
	int proc = join_pidns_proc_ok();
	if (proc && wants_comm(si))
		join_proc_comm(r->pid, r->comm);
	/* Surely untracked (born before us, or by a raw clone): its start, while we can. */
	if (proc && !join_table_maybe(r->pid) && !join_table_inflight()) {
		r->fork_ns = join_proc_start_ns(r->pid);
		r->has_fork = r->approx = r->fork_ns != 0;
	}
	r->exit_ns = join_now_ns(); /* the exit happened before this: an upper bound */
	r->has_exit = 1;
}

int join_rec_end(struct join_rec *r, int status, const struct rusage *ru)
{
	int err = errno;
	r->status = status;
	r->reap_ns = join_now_ns();
	if (join_cfg.format == JOIN_FORMAT_JSONL)
		r->tid = (pid_t)syscall(
		    SYS_gettid); /* not gettid(): GLIBC_2.30, one more version to check at load */
	if (ru) {
		r->has_ru = 1;
		r->user_us = join_tv_us(ru->ru_utime);
		r->sys_us = join_tv_us(ru->ru_stime);
#define X(member, ru_member) r->member = ru->ru_member;
		JOIN_RUSAGE_FIELDS(X)
#undef X
	}
	int settled = join_table_settle(r);
	if (settled != 2)
		join_emit_reap(r);
	join_table_flush(join_emit_reap);
	join_errno_restore(err);
	return settled != 2;
}

pid_t join_reap_pid(pid_t pid, int *status, int options, struct rusage *ru)
{
	pid_t got = join_call_wait4(pid, status, options | WNOHANG, ru);
	if (got < 0 && errno == ECHILD)
		return 0;
	return got;
}

void join_reap_echild(idtype_t type, id_t id)
{
	int err = errno;
	if (type == P_ALL)
		join_table_expire_all();
	else if (type == P_PID)
		join_table_expire((pid_t)id);
	join_table_flush(join_emit_reap);
	errno = err;
}

static int to_idtype(pid_t pid, idtype_t *type, id_t *id)
{
	if (pid == -1) {
		*type = P_ALL, *id = 0;
	} else if (pid < -1) {
		if (pid == INT32_MIN)
			return -1;
		*type = P_PGID, *id = (id_t)-pid;
	} else if (pid == 0) {
		*type = P_PGID, *id = 0; /* the caller's group (Linux >= 5.4) */
	} else {
		*type = P_PID, *id = (id_t)pid;
	}
	return 0;
}

pid_t join_wait4(pid_t pid, int *status, int options, struct rusage *ru, int call)
{
	idtype_t type;
	id_t id;
	int err = errno;
	if (!join_active() || (options & ~W4_OPTS) || to_idtype(pid, &type, &id) < 0)
		return join_call_wait4(pid, status, options, ru);
	int wopt = WEXITED | (options & (WNOHANG | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL));
	if (options & WUNTRACED)
		wopt |= WSTOPPED;
	for (;;) {
		siginfo_t si;
		int st, k = join_peek(type, id, wopt, &si);
		if (k < 0) {
			if (errno == ECHILD)
				join_reap_echild(type, id);
			return -1;
		}
		if (k == 0)
			return 0;
		int *sp = status ? status : &st;
		struct join_rec r;
		struct rusage own;
		struct rusage *rp = ru ? ru : &own;
		int exited = join_si_exited(&si);
		if (exited)
			join_rec_begin(&r, &si, call);
		pid_t got = join_reap_pid(si.si_pid, sp, options, rp);
		if (got == 0)
			continue; /* taken by another thread: look again */
		if (got < 0)
			return got;
		if (!exited && (WIFEXITED(*sp) || WIFSIGNALED(*sp))) {
			/* It died between the peek at its stop and the reap: too late for comm. */
			si.si_code = WIFEXITED(*sp) ? CLD_EXITED : CLD_KILLED;
			join_rec_begin(&r, &si, call);
			exited = 1;
		}
		if (exited)
			join_rec_end(&r, *sp, rp);
		join_errno_restore(err);
		return got;
	}
}

static long raw_waitid(idtype_t type, id_t id, siginfo_t *info, int options, struct rusage *ru)
{
	return syscall(SYS_waitid, type, id, info, options, ru);
}

/* What the kernel writes into the caller's siginfo for "nothing yet". */
static void clear_info(siginfo_t *info)
{
	if (!info)
		return;
	info->si_signo = info->si_errno = info->si_code = 0;
	info->si_pid = 0;
	info->si_uid = 0;
	info->si_status = 0;
}

int join_waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
	int err = errno;
	if (!join_active() || (options & ~WID_OPTS) || (options & WNOWAIT) || !(options & WEXITED))
		return join_call_waitid(type, id, info, options);
	for (;;) {
		siginfo_t si, own;
		siginfo_t *ip = info ? info : &own;
		int k = join_peek(type, id, options, &si);
		if (k < 0) {
			if (errno == ECHILD)
				join_reap_echild(type, id);
			return -1;
		}
		if (k == 0) {
			clear_info(info);
			return 0;
		}
		struct join_rec r;
		struct rusage ru;
		int exited = join_si_exited(&si);
		if (exited)
			join_rec_begin(&r, &si, JOIN_CALL_WAITID);
		ip->si_pid = 0;
		long got = raw_waitid(P_PID, (id_t)si.si_pid, ip, options | WNOHANG, &ru);
		if ((got < 0 && errno == ECHILD) || (got == 0 && ip->si_pid == 0))
			continue; /* taken by another thread: look again */
		if (got < 0)
			return -1;
		if (!exited && join_si_exited(ip)) { /* died between peek and reap */
			join_rec_begin(&r, ip, JOIN_CALL_WAITID);
			exited = 1;
		}
		if (exited)
			join_rec_end(&r, join_si_status(ip), &ru);
		join_errno_restore(err);
		return 0;
	}
}
