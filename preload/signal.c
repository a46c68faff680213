/* SPDX-License-Identifier: MIT */
/* signal.c - SIGCHLD's disposition: ignored or SA_NOCLDWAIT means the kernel reaps. */
#include "engine.h"
#include "intercept.h"
#include <signal.h>

/* sigset is obsolete, but programs still call it, so we must see it. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

typedef void (*handler_t)(int);

/* After a successful change: a handler installed may reach the wait family, so
 * what it may call is resolved now; a change of SIGCHLD goes to the engine. */
static void changed(int sig, handler_t h, int flags)
{
	if (h != SIG_DFL && h != SIG_IGN && h != SIG_ERR)
		join_resolve_handlers();
	if (sig != SIGCHLD || h == SIG_ERR)
		return;
	struct sigaction now = {.sa_handler = h, .sa_flags = flags};
	join_sigchld(&now);
}

/* The old-style calls: one handler, no flags; SIG_HOLD (sigset) changes nothing. */
static handler_t seen(int sig, handler_t h, handler_t old)
{
	if (old != SIG_ERR && h != SIG_HOLD && join_ready())
		changed(sig, h, 0);
	return old;
}

INTERCEPT(handler_t, signal, int sig, handler_t h)
{
	return seen(sig, h, REAL(signal)(sig, h));
}

INTERCEPT(handler_t, bsd_signal, int sig, handler_t h)
{
	return signal(sig, h);
}

INTERCEPT(handler_t, sysv_signal, int sig, handler_t h)
{
	return seen(sig, h, REAL(sysv_signal)(sig, h));
}

INTERCEPT(handler_t, sigset, int sig, handler_t h)
{
	return seen(sig, h, REAL(sigset)(sig, h));
}

INTERCEPT(int, sigaction, int sig, const struct sigaction *act, struct sigaction *old)
{
	int r = REAL(sigaction)(sig, act, old);
	if (r == 0 && act && join_ready())
		changed(sig, act->sa_handler, act->sa_flags);
	return r;
}

INTERCEPT(int, __sigaction, int sig, const struct sigaction *act, struct sigaction *old)
{
	return sigaction(sig, act, old);
}
