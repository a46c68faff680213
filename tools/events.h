/* SPDX-License-Identifier: MIT */
/*
 * events.h - the launcher's model of a process tree, built from libjoin's
 * JSON lines (docs/DESIGN.md, "Configuration and JSONL events"): one jr_proc per child seen in
 * fork, exit, zombie, reap or report events, linked to its parent (the "pid" of the line that names
 * it as "child").  Instants are CLOCK_MONOTONIC nanoseconds.
 */
#ifndef JR_EVENTS_H
#define JR_EVENTS_H

#include "base/schema.h"
#include <stdint.h>
#include <stdio.h>

#define JR_COMM 64

struct jr_proc {
	int pid;
	int ppid;           /* writer of the line that first named it; 0 if unknown */
	int parent;         /* index of the parent in the model, -1 */
	int child, sibling; /* first child, next sibling: tree in fork order */
	int depth;
	char comm[JR_COMM]; /* at exit (child_comm), else the last seen */
	char how[16], call[16];
	int64_t fork_ns, exit_ns, reap_ns;
	int64_t seen_ns; /* first line that named it */
	int64_t gone_ns; /* a zombie at its parent's exit report: that instant */
	int64_t exec_ns; /* its last exec event, 0 if none */
	int reaper;      /* writer of its reap line, 0 if none */
	unsigned has_fork : 1, has_exit : 1, has_reap : 1;
	unsigned fork_approx : 1; /* fork derived (real_ms, /proc stat, report age) */
	unsigned exit_exact : 1;  /* exit_ns is the exit, not an upper bound (the reap) */
	unsigned has_status : 1, core : 1;
	unsigned running_end : 1; /* listed as running by an exit report */
	unsigned zombie_end : 1;  /* listed as a zombie never reaped by an exit report */
	unsigned writer : 1;      /* known only as the writer of lines: no times */
	unsigned root : 1;        /* the command joinrun ran */
	unsigned untracked : 1;   /* the reap said tracked false */
	unsigned real_ns : 1;     /* real_ms came from the reap's real_ns */
	unsigned exit_of_ms : 1;  /* exit_ns derived from a figure rounded to the ms */
	unsigned orphan : 1;      /* reaped by joinrun, the subreaper, after its parent died */
	int opaque;               /* enum join_opaque: libjoin could not follow into it */
	int code, sig;            /* sig > 0: killed by that signal */
	double real_ms, user_ms, sys_ms, late_ms; /* < 0: unknown; user, sys: inclusive */
	double self_user_ms, self_sys_ms;         /* its own CPU; < 0: unknown */
	long self_maxrss_kb;                      /* its own peak; < 0: unknown */
#define X(member, ru) long member;                /* < 0: unknown */
	JOIN_RUSAGE_FIELDS(X)
#undef X
	int zombies;             /* zombie events about it */
	char *argv;              /* its command line (exec event, joinrun --argv), or NULL */
	int nargs;               /* after argv's NUL: its nargs arguments, each NUL-ended */
	unsigned argv_truncated; /* only its first arguments were recorded */
};

/* Records that did not reach a log (tools.h, lost.c). */
struct jr_loss {
	unsigned long long n;
	int err; /* the first reason; 0: a descriptor held another file */
};

struct jr_model {
	char *name; /* the log's name, for messages */
	struct jr_proc *p;
	int n, cap;
	int64_t t0, t1; /* first and last instant (t1: last line) */
	long lines, events, malformed;
	struct jr_ev *ev; /* while loading */
	long nev, capev;
	int *hash, hcap;     /* pid -> latest index */
	int roots, nroots;   /* first process at the top of the tree, and how many */
	int joinrun_pid;     /* writer of joinrun's own lines about the command, -1 */
	struct jr_loss lost; /* the log is incomplete: a "warning" event with "lost" */
};

/* Empty model named name. */
void jr_model_init(struct jr_model *m, const char *name);
void jr_model_free(struct jr_model *m);
/* Reads one JSONL file into m's pending events.  Malformed lines are
 * reported on stderr ("joinrun: LOG:LINE: malformed JSON: ...") and skipped.
 * Returns -1 (after a message) if the file cannot be read. */
int jr_model_read(struct jr_model *m, const char *path);
/* The same from byte at on: the part of a log that one run appended. */
int jr_model_read_from(struct jr_model *m, const char *path, long at);
/* Several runs appended to one log (joinrun -o LOG, run after run): each begins with
 * joinrun's own fork of its command.  Returns how many; when more than one, *runs gets
 * that many new models (named "LOG (run K)", each to be built) and m keeps no pending
 * events; else *runs is NULL and m is left whole. */
int jr_model_split(struct jr_model *m, struct jr_model ***runs);
/* Orders the pending events by time, applies them and links the tree. */
void jr_model_build(struct jr_model *m);

/* A run that joinrun began (its fork line) without its reap line: the log ends early
 * (cut at a line, or joinrun killed). */
int jr_model_cut(const struct jr_model *m);
/* "static", "setuid", "no-preload" of enum join_opaque; "" for none. */
const char *jr_opaque_name(int why);

/* Derived views of a process. */
/* Own CPU (user+sys) ms if known, else -1; inclusive CPU ms, else -1. */
double jr_self_cpu(const struct jr_proc *p);
double jr_incl_cpu(const struct jr_proc *p);
int jr_done(const struct jr_proc *p);    /* exited with a known status or a zombie at the end */
double jr_real(const struct jr_proc *p); /* real ms, or -1 */
int jr_real_ns(const struct jr_proc *p); /* jr_real is of ns, not rounded to the ms */
int jr_abnormal(const struct jr_proc *p);
int jr_late(const struct jr_proc *p, double late_ms);
/* Alive interval [*s, *e] for drawing: fork to exit, or to the end of the log
 * for one still running.  0 if unknown. */
int jr_span(const struct jr_model *m, const struct jr_proc *p, int64_t *s, int64_t *e);
/* A zombie at its parent's exit whose exit was not watched: it ended at an unknown
 * instant between its fork and gone_ns.  jr_span says 0 for it; jr_span_open gives
 * [fork, gone_ns], the interval to draw as open-ended. */
int jr_exit_unknown(const struct jr_proc *p);
int jr_span_open(const struct jr_proc *p, int64_t *s, int64_t *e);
/* End of its zombie time (the reap, or the end of the log), 0 if none known. */
int jr_zombie_end(const struct jr_model *m, const struct jr_proc *p, int64_t *e);
/* "ok", "exit 3", "SIGKILL", "SIGSEGV+core", "running", "?" into buf. */
const char *jr_status(const struct jr_proc *p, char buf[48]);
/* Threshold of a late reap: JOIN_ZOMBIE_MS if set, else 1000. */
double jr_late_threshold(void);
/* Depth-first order of the tree (siblings by fork time); returns n indexes. */
int *jr_tree_order(const struct jr_model *m, int *n);

/* Control characters (C0, DEL, C1) of a name to '?', in place: for a terminal. */
void jr_sanitise(char *s);

void *jr_xmalloc(size_t n);
void *jr_xrealloc(void *p, size_t n);

#endif
