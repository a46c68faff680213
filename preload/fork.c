/* SPDX-License-Identifier: MIT */
/* fork.c - fork, __fork, _Fork and clone: record the child in the parent, reset in the child. */
#include "engine.h"
#include "intercept.h"
#include "base/record.h"
#include "base/hotpage.h"
#include "collector/bare.h"
#include "emit.h"
#include "ring/pidns.h"
#include "trace/propagate.h"
#include <stdlib.h>
#include <sched.h>
#include <stdarg.h>
#include <unistd.h>

pid_t _Fork(void);

/* fork, __fork and _Fork: the same, around a different real function. */
JOIN_CHILD_PATH static pid_t fork_like(pid_t (*real)(void), int how)
{
	if (!join_ready())
		return real();
	join_resolve_handlers();
	join_hot_wipe();
	uint64_t t0 = join_forkrec_begin();
	join_prop_before_fork(t0);
	pid_t pid = real();
	/* The child's reset makes no system call: errno stands, and the child does not
	 * fault in libc's page of __errno_location only to read it. */
	if (pid == 0) {
		/* With a zeroed hot page (hotpage.h) there is nothing to do: not calling into
		 * the engine spares the child a fault on its code page. */
		if (!__atomic_load_n(&join_hot_wiped, __ATOMIC_RELAXED))
			join_forkrec_child();
		return pid;
	}
	join_prop_after_fork();
	join_forkrec_end(pid, t0, how);
	return pid;
}

/* _exit and _Exit beside fork, on its code page: a forked child that exits at once
 * faults in no other page of ours.  In watch mode the exit's instant goes to the
 * collector first. */
JOIN_CHILD_PATH static __attribute__((noreturn)) void exit_like(void (*real)(int), int status)
{
	if (join_ready_at_exit()) {
		join_emit_exit_self((status & 0xff) << 8);
		join_bare_exit();
	}
	real(status);
	__builtin_unreachable();
}

JOIN_CHILD_PATH INTERCEPT(__attribute__((noreturn)) void, _exit, int status)
{
	exit_like(REAL(_exit), status);
}

JOIN_CHILD_PATH INTERCEPT(__attribute__((noreturn)) void, _Exit, int status)
{
	exit_like(REAL(_Exit), status);
}

JOIN_CHILD_PATH INTERCEPT(pid_t, fork, void)
{
	return fork_like(REAL(fork), JOIN_HOW_FORK);
}

JOIN_CHILD_PATH INTERCEPT(pid_t, __fork, void)
{
	return fork_like(REAL(__fork), JOIN_HOW_FORK);
}

JOIN_CHILD_PATH INTERCEPT(pid_t, _Fork, void)
{
	return fork_like(REAL(_Fork), JOIN_HOW__FORK);
}

/* A process child (not a thread) that does not share our memory runs this first. */
struct clone_start {
	int (*fn)(void *);
	void *arg;
	int newpid; /* CLONE_NEWPID: we are another namespace's init */
};

static int clone_child(void *p)
{
	struct clone_start *s = p; /* our parent's frame, in our copy of its memory */
	if (s->newpid)
		join_pidns_forget();
	join_forkrec_child();
	return s->fn(s->arg);
}

INTERCEPT(int, clone, int (*fn)(void *), void *stack, int flags, void *arg, ...)
{
	va_list ap;
	va_start(ap, arg);
	pid_t *ptid = va_arg(ap, pid_t *);
	void *tls = va_arg(ap, void *);
	pid_t *ctid = va_arg(ap, pid_t *);
	va_end(ap);
	if (!join_ready() || (flags & CLONE_THREAD))
		return REAL(clone)(fn, stack, flags, arg, ptid, tls, ctid);
	join_resolve_handlers();
	struct clone_start s = {fn, arg, !!(flags & CLONE_NEWPID)};
	int own = !(flags & CLONE_VM); /* with CLONE_VM the child shares our table: leave it */
	if (own)
		join_hot_wipe();
	uint64_t t0 = join_forkrec_begin();
	int pid = REAL(clone)(own ? clone_child : fn, stack, flags, own ? (void *)&s : arg, ptid,
	                      tls, ctid);
	join_forkrec_end(pid, t0, JOIN_HOW_CLONE);
	return pid;
}
