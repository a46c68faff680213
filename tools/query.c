/* SPDX-License-Identifier: MIT */
/*
 * query.c - what the views ask of a built model (events.h): whether a run was
 * cut short, and of a process its real and CPU times, its alive and zombie
 * intervals, its status as a word, and whether its reap was late.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

int jr_model_cut(const struct jr_model *m)
{
	for (int i = 0; i < m->n; i++)
		if (m->p[i].root && !m->p[i].has_reap)
			return 1;
	return 0;
}

int jr_done(const struct jr_proc *p)
{
	return p->has_status || p->zombie_end;
}

/* Fork and exit both instants of the log (ns), not derived from a figure in ms. */
static int ns_instants(const struct jr_proc *p)
{
	return p->has_fork && !p->fork_approx && p->has_exit && !p->exit_of_ms &&
	       p->exit_ns >= p->fork_ns;
}

/* The log's nanoseconds before the reap's real_ms, which is rounded to the ms: a
 * process of 0.6 ms is not one of 1 ms (the same upper bound when the exit is the reap). */
double jr_real(const struct jr_proc *p)
{
	if (p->real_ms >= 0 && p->real_ns)
		return p->real_ms;
	if (ns_instants(p))
		return (p->exit_ns - p->fork_ns) / 1e6;
	if (p->real_ms >= 0)
		return p->real_ms;
	if (p->has_fork && p->has_exit && p->exit_ns >= p->fork_ns)
		return (p->exit_ns - p->fork_ns) / 1e6;
	return -1;
}

int jr_real_ns(const struct jr_proc *p)
{
	return (p->real_ms >= 0 && p->real_ns) || ns_instants(p);
}

double jr_self_cpu(const struct jr_proc *p)
{
	return p->self_user_ms >= 0 && p->self_sys_ms >= 0 ? p->self_user_ms + p->self_sys_ms : -1;
}

double jr_incl_cpu(const struct jr_proc *p)
{
	return p->user_ms >= 0 && p->sys_ms >= 0 ? p->user_ms + p->sys_ms : -1;
}

int jr_abnormal(const struct jr_proc *p)
{
	return p->has_status && (p->sig || p->code);
}

int jr_late(const struct jr_proc *p, double late_ms)
{
	return p->zombies > 0 || p->zombie_end || (p->late_ms >= 0 && p->late_ms >= late_ms);
}

int jr_exit_unknown(const struct jr_proc *p)
{
	return p->zombie_end && !p->has_exit;
}

int jr_span(const struct jr_model *m, const struct jr_proc *p, int64_t *s, int64_t *e)
{
	if (!p->has_fork || jr_exit_unknown(p))
		return 0;
	*s = p->fork_ns;
	*e = p->has_exit ? p->exit_ns : m->t1;
	if (*e < *s)
		*e = *s;
	return 1;
}

int jr_span_open(const struct jr_proc *p, int64_t *s, int64_t *e)
{
	if (!p->has_fork || !jr_exit_unknown(p))
		return 0;
	*s = p->fork_ns;
	*e = p->gone_ns > p->fork_ns ? p->gone_ns : p->fork_ns;
	return 1;
}

int jr_zombie_end(const struct jr_model *m, const struct jr_proc *p, int64_t *e)
{
	if (!p->has_exit)
		return 0;
	if (p->exit_exact && p->has_reap && p->reap_ns > p->exit_ns) {
		*e = p->reap_ns;
		return 1;
	}
	/* Never reaped: a zombie from its exit to the end of the log.  An exit time that is
	 * an upper bound only shortens the span drawn; it is a zombie all of that time. */
	if (p->zombie_end && p->has_exit && m->t1 > p->exit_ns) {
		*e = m->t1;
		return 1;
	}
	return 0;
}

const char *jr_status(const struct jr_proc *p, char buf[48])
{
	if (p->has_status && p->sig) {
		const char *s = sigabbrev_np(p->sig);
		if (s)
			snprintf(buf, 48, "SIG%s%s", s, p->core ? "+core" : "");
		else
			snprintf(buf, 48, "signal %d%s", p->sig, p->core ? "+core" : "");
	} else if (p->has_status && p->code)
		snprintf(buf, 48, "exit %d", p->code);
	else if (p->has_status)
		snprintf(buf, 48, "ok");
	else if (p->zombie_end)
		snprintf(buf, 48, "zombie");
	else if (p->running_end)
		snprintf(buf, 48, "running");
	else
		snprintf(buf, 48, "?");
	return buf;
}

double jr_late_threshold(void)
{
	const char *s = getenv("JOIN_ZOMBIE_MS");
	char *end;
	if (s && *s) {
		errno = 0;
		double v = strtod(s, &end);
		if (!*end && !errno && v > 0)
			return v;
	}
	return 1000;
}
