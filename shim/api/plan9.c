/* SPDX-License-Identifier: MIT */
/* plan9.c - Plan 9's await and wait calls over the engine's reap path. */
#include "base/api.h"
#include "base/config.h"
#include "api/errstr.h"
#include "join.h"
#include "child/reap.h"
#include "text/text.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static void fail(int err)
{
	if (err == ECHILD)
		join_seterr(ECHILD, "no living children");
	else if (err == EINTR)
		join_seterr(EINTR, "interrupted");
	else
		join_seterr(err, strerror(err));
}

/* Reaps one exited child of (type, id): 1 with r filled, 0 none yet (nohang), -1. */
static int collect(idtype_t type, id_t id, int nohang, struct join_rec *r)
{
	for (;;) {
		siginfo_t si;
		struct rusage ru;
		int st, k = join_peek(type, id, WEXITED | (nohang ? WNOHANG : 0), &si);
		if (k < 0) {
			int err = errno;
			if (err == ECHILD)
				join_reap_echild(type, id);
			fail(err);
			return -1;
		}
		if (k == 0) {
			join_seterr(errno, "no child has exited yet");
			return 0;
		}
		join_rec_begin(r, &si, JOIN_CALL_AWAIT);
		pid_t got = join_reap_pid(si.si_pid, &st, 0, &ru);
		if (got == 0)
			continue; /* reaped by another thread meanwhile */
		if (got < 0) {
			fail(errno);
			return -1;
		}
		join_rec_end(r, st, &ru);
		return 1;
	}
}

static int await_(idtype_t type, id_t id, int nohang, char *s, int n)
{
	struct join_rec r;
	if (n <= 0 || !s) {
		join_seterr(EINVAL, "bad buffer");
		return -1;
	}
	int k = collect(type, id, nohang, &r);
	if (k <= 0)
		return k;
	return join_fmt_await(s, n, &r, join_cfg.style);
}

JOIN_API int join_await(char *s, int n)
{
	return await_(P_ALL, 0, 0, s, n);
}

JOIN_API int join_awaitnohang(char *s, int n)
{
	return await_(P_ALL, 0, 1, s, n);
}

JOIN_API int join_awaitfor(int pid, char *s, int n)
{
	if (pid <= 0) {
		join_seterr(EINVAL, "bad pid");
		return -1;
	}
	return await_(P_PID, (id_t)pid, 0, s, n);
}

static JoinWaitmsg *wait_(idtype_t type, id_t id, int nohang)
{
	char buf[512];
	int n = await_(type, id, nohang, buf, sizeof buf);
	if (n <= 0)
		return NULL;
	JoinWaitmsg *w = join_parse_await(buf, (size_t)n);
	if (!w)
		join_seterr(errno ? errno : EINVAL, "couldn't parse wait message");
	return w;
}

JOIN_API JoinWaitmsg *join_wait(void)
{
	return wait_(P_ALL, 0, 0);
}

JOIN_API JoinWaitmsg *join_waitnohang(void)
{
	return wait_(P_ALL, 0, 1);
}

JOIN_API JoinWaitmsg *join_waitfor(int pid)
{
	if (pid <= 0) {
		join_seterr(EINVAL, "bad pid");
		return NULL;
	}
	return wait_(P_PID, (id_t)pid, 0);
}

JOIN_API int join_waitpid(void)
{
	JoinWaitmsg *w = join_wait();
	if (!w)
		return -1;
	int pid = w->pid;
	free(w);
	return pid;
}
