/* SPDX-License-Identifier: MIT */
/*
 * ev.h - the pending event, private to the model's files: logread.c makes one
 * from a JSON line, model.c applies it to the model of events.h once all are
 * read and ordered by time; tree.c links what they made.
 */
#ifndef JR_EV_H
#define JR_EV_H

#include "events.h"

/* The kinds of pending event; EV_RUNNING and EV_UNREAPED are a report's entries. */
enum { EV_FORK, EV_EXIT, EV_REAP, EV_ZOMBIE, EV_RUNNING, EV_UNREAPED, EV_EXEC, EV_KINDS };

struct jr_ev {
	int64_t t;
	long seq;
	int kind, pid, child;
	char comm[JR_COMM], child_comm[JR_COMM];
	char how[16], call[16];
	int has_status, code, sig, core, exact, tracked;
	double real, user, sys, late, age; /* < 0: unknown */
	int64_t fork_at, exit_at;          /* a report's entry: its fork and exit, -1 unknown */
	int real_exact_ns;                 /* real came from real_ns, not rounded ms */
	double self_user, self_sys;
	long self_rss;
	int orphan, opaque;
	char *argv;                /* exec: the arguments joined by spaces (malloc) */
	int argv_truncated, nargs; /* after argv's NUL: the nargs arguments, each NUL-ended */
#define X(member, ru) long member;
	JOIN_RUSAGE_FIELDS(X)
#undef X
};

/* Copies at most cap-1 bytes of s, not cutting a UTF-8 sequence, sanitised (events.c). */
void jr_copy_str(char *dst, size_t cap, const char *s);
/* Links the processes of a model whose events are applied into its tree (tree.c). */
void jr_link_tree(struct jr_model *m);

#endif
