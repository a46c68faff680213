/* SPDX-License-Identifier: MIT */
/*
 * libc.c - the real wait calls as the engine makes them.  The preload layer
 * fills join_libc when the program installs a signal handler or makes its
 * first child (dlsym is not async-signal-safe, so never later, in a handler).
 * Until then, as in a handler installed by a raw system call, the raw system
 * call stands in: the same kernel call libc makes, without its cancellation point.
 */
#include "engine.h"
#include <sys/syscall.h>
#include <unistd.h>

struct join_libc join_libc;

pid_t join_call_wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	__typeof__(join_libc.wait4) f = __atomic_load_n(&join_libc.wait4, __ATOMIC_ACQUIRE);
	if (f)
		return f(pid, status, options, ru);
	return (pid_t)syscall(SYS_wait4, pid, status, options, ru);
}

int join_call_waitid(idtype_t type, id_t id, siginfo_t *info, int options)
{
	__typeof__(join_libc.waitid) f = __atomic_load_n(&join_libc.waitid, __ATOMIC_ACQUIRE);
	if (f)
		return f(type, id, info, options);
	return (int)syscall(SYS_waitid, type, id, info, options, NULL);
}

/* SIGCHLD's disposition, read by the raw call: the engine's start may run in a
 * handler.  The kernel's struct begins with the handler and the flags everywhere. */
int join_sigchld_now(struct sigaction *out)
{
	struct {
		void *handler;
		unsigned long flags, rest[8];
	} k;
	if (syscall(SYS_rt_sigaction, SIGCHLD, NULL, &k, _NSIG / 8) < 0)
		return -1;
	*out = (struct sigaction){.sa_handler = (void (*)(int))k.handler, .sa_flags = (int)k.flags};
	return 0;
}
