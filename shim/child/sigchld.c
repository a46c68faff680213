/* SPDX-License-Identifier: MIT */
/*
 * sigchld.c - SIGCHLD ignored or SA_NOCLDWAIT: the kernel reaps children
 * itself, so no wait will ever report them.  New children are then not
 * entered in the table; existing entries become orphans, which expire when
 * a wait says ECHILD or the exit report finds them gone.
 */
#include "engine.h"
#include "base/self.h"
#include "log/log.h"
#include "table/table.h"
#include <signal.h>

int join_autoreap;

/* Who made a child that the kernel reaps: such children never enter the table, yet
 * the process made children and owes its exit report.  A pid, not a flag, so that a
 * forked child (another pid) does not inherit the debt. */
static pid_t made;

void join_sigchld_child(void)
{
	__atomic_store_n(&made, join_self_pid(), __ATOMIC_RELAXED);
}

int join_sigchld_made(void)
{
	pid_t m = __atomic_load_n(&made, __ATOMIC_RELAXED);
	return m && m == join_self_pid();
}

void join_sigchld(const struct sigaction *act)
{
	if (!act)
		return;
	int on = act->sa_handler == SIG_IGN || (act->sa_flags & SA_NOCLDWAIT);
	if (!__atomic_exchange_n(&join_autoreap, on, __ATOMIC_RELAXED) && on)
		join_table_orphan_all();
}
