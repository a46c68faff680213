/* SPDX-License-Identifier: MIT */
/* wait.c - the wait family: each is the engine's wait4 or waitid, which reap and record.
 * Forwarded, wait, waitpid and wait3 are libc's wait4, as glibc defines them; never
 * looked up here (we may be in a handler): the raw call until it is (shim/child/libc.c). */
#include "engine.h"
#include "intercept.h"
#include "base/record.h"

INTERCEPT(pid_t, wait, int *status)
{
	if (!join_ready())
		return join_call_wait4(-1, status, 0, NULL);
	return join_wait4(-1, status, 0, NULL, JOIN_CALL_WAIT);
}

INTERCEPT(pid_t, __wait, int *status)
{
	return wait(status);
}

INTERCEPT(pid_t, waitpid, pid_t pid, int *status, int options)
{
	if (!join_ready())
		return join_call_wait4(pid, status, options, NULL);
	return join_wait4(pid, status, options, NULL, JOIN_CALL_WAITPID);
}

INTERCEPT(pid_t, __waitpid, pid_t pid, int *status, int options)
{
	return waitpid(pid, status, options);
}

INTERCEPT(pid_t, wait3, int *status, int options, struct rusage *ru)
{
	if (!join_ready())
		return join_call_wait4(-1, status, options, ru);
	return join_wait4(-1, status, options, ru, JOIN_CALL_WAIT3);
}

INTERCEPT(pid_t, wait4, pid_t pid, int *status, int options, struct rusage *ru)
{
	if (!join_ready())
		return join_call_wait4(pid, status, options, ru);
	return join_wait4(pid, status, options, ru, JOIN_CALL_WAIT4);
}

INTERCEPT(int, waitid, idtype_t type, id_t id, siginfo_t *info, int options)
{
	if (!join_ready())
		return join_call_waitid(type, id, info, options);
	return join_waitid(type, id, info, options);
}
