/* SPDX-License-Identifier: MIT */
/*
 * popen.c - popen(3)'s child.  glibc spawns and reaps it internally, so the
 * pid is read from glibc's stream (struct _IO_proc_file: the pid follows
 * the FILE and its vtable pointer) and confirmed to be a child of ours
 * before it is trusted.  pclose reaps inside glibc: its rusage is the
 * difference of getrusage(RUSAGE_CHILDREN) across the call, exact unless
 * another thread reaps at the same moment.  musl's FILE is opaque: there
 * popen is done by libjoin itself (popen_musl.c).
 */
#include "base/clock.h"
#include "engine.h"
#include "base/proc.h"
#include "child/reap.h"
#include "base/record.h"
#include "table/table.h"
#include "ring/pidns.h"
#include <errno.h>
#include <string.h>
#ifdef __GLIBC__

static pid_t stream_pid(FILE *fp)
{
	pid_t pid;
	siginfo_t si;
	if (!fp)
		return -1;
	memcpy(&pid, (char *)fp + sizeof(FILE) + sizeof(void *), sizeof pid);
	if (pid <= 0)
		return -1;
	/* A child of ours, still there (running, or a zombie waiting for pclose)? */
	si.si_pid = 0;
	if (join_call_waitid(P_PID, (id_t)pid, &si,
	                     WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT) < 0)
		return -1;
	return pid;
}

void join_popen_end(FILE *fp, uint64_t t0)
{
	int err = errno;
	join_forkrec_end(stream_pid(fp), t0, JOIN_HOW_POPEN);
	errno = err;
}

void join_pclose_begin(FILE *fp, struct join_pclose *tok)
{
	int err = errno;
	memset(tok, 0, sizeof *tok);
	tok->pid = stream_pid(fp);
	if (tok->pid > 0) {
		getrusage(RUSAGE_CHILDREN, &tok->before);
		if (join_pidns_proc_ok())                    /* not another namespace's /proc */
			join_proc_comm(tok->pid, tok->comm); /* the last name we can see */
	}
	errno = err;
}

static uint64_t diff(struct timeval a, struct timeval b)
{
	uint64_t x = join_tv_us(a), y = join_tv_us(b);
	return x > y ? x - y : 0;
}

void join_pclose_end(const struct join_pclose *tok, int status)
{
	struct join_rec r;
	struct rusage after, ru;
	int err = errno;
	if (tok->pid <= 0 || status == -1) {
		errno = err;
		return;
	}
	siginfo_t si = {.si_pid = tok->pid, .si_code = CLD_EXITED};
	join_rec_begin(&r, &si, JOIN_CALL_PCLOSE);
	memcpy(r.comm, tok->comm, sizeof r.comm);
	getrusage(RUSAGE_CHILDREN, &after);
	memset(&ru, 0, sizeof ru);
	uint64_t u = diff(after.ru_utime, tok->before.ru_utime);
	uint64_t s = diff(after.ru_stime, tok->before.ru_stime);
	ru.ru_utime = (struct timeval){(time_t)(u / 1000000), (suseconds_t)(u % 1000000)};
	ru.ru_stime = (struct timeval){(time_t)(s / 1000000), (suseconds_t)(s % 1000000)};
	ru.ru_maxrss = after.ru_maxrss; /* a maximum over all reaped children: an upper bound */
	ru.ru_minflt = after.ru_minflt - tok->before.ru_minflt;
	ru.ru_majflt = after.ru_majflt - tok->before.ru_majflt;
	ru.ru_inblock = after.ru_inblock - tok->before.ru_inblock;
	ru.ru_oublock = after.ru_oublock - tok->before.ru_oublock;
	ru.ru_nvcsw = after.ru_nvcsw - tok->before.ru_nvcsw;
	ru.ru_nivcsw = after.ru_nivcsw - tok->before.ru_nivcsw;
	join_rec_end(&r, status, &ru);
	errno = err;
}
#endif
