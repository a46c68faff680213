/*
 * sigchld.c - SIGCHLD ignored or SA_NOCLDWAIT: the kernel reaps children
 * itself, so no wait will ever report them.  New children are then not
 * entered in the table; existing entries become orphans, which expire when
 * a wait says ECHILD or the exit report finds them gone.
 */
#include "engine.h"
#include "table.h"
#include <signal.h>

int join_autoreap;

void join_sigchld(const struct sigaction *act)
{
	if (!act)
		return;
	int on = act->sa_handler == SIG_IGN || (act->sa_flags & SA_NOCLDWAIT);
	if (!__atomic_exchange_n(&join_autoreap, on, __ATOMIC_RELAXED) && on)
		join_table_orphan_all();
}
