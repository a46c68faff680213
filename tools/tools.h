/*
 * tools.h - the launcher's outputs, all made from the model of events.h:
 * the per-command table and the tree's parallelism (summary, report),
 * the Chrome trace and the SVG plot.
 */
#ifndef JR_TOOLS_H
#define JR_TOOLS_H

#include <stdio.h>

#include "events.h"

/* table.c: a table of strings, printed aligned for a terminal or as Markdown. */
struct jr_table {
	int ncol, n, cap; /* cells: n of them, row-major; the first row is the header */
	char **cell;
};
void jr_table_init(struct jr_table *t, int ncol);
void jr_table_add(struct jr_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void jr_table_print(FILE *f, const struct jr_table *t, int markdown);
void jr_table_free(struct jr_table *t);

/* summary.c: the processes of one command (child_comm). */
struct jr_group {
	char name[JR_COMM];
	int n, abnormal, zombies, late;
	int nreal, nuser, nsys;
	double *real; /* sorted */
	double mean, sd, p50, min, max, user, sys, total;
	long maxrss_kb; /* -1 unknown */
};
/* The groups of m, the most total real time first. */
struct jr_group *jr_groups(const struct jr_model *m, int *n);
void jr_groups_free(struct jr_group *g, int n);
/* Prints the per-command table and the parallelism of m. */
void jr_summary(FILE *f, const struct jr_model *m, int markdown);
/* "12.3" or "-" for a negative (unknown) number of ms. */
const char *jr_ms(char buf[32], double ms);

/* parallel.c: how many processes ran at once.  A process runs from fork to
 * exit except while a child of its own is alive (then it waits). */
struct jr_step {
	int64_t t;
	int n; /* running from t on */
};
struct jr_stretch {
	int64_t s, e;
	char comm[JR_COMM]; /* the command that ran most of it */
	int others;         /* other commands that ran in it */
};
struct jr_seg {
	int proc; /* index in the model */
	int64_t s, e;
};
struct jr_par {
	int64_t s, e; /* wall: first fork to last exit or reap */
	double wall_ms, sum_real_ms, avg;
	int peak;
	struct jr_step *step;
	int nstep;
	struct jr_seg *crit; /* critical path, in time order (critical.c) */
	int ncrit;
	double crit_ms; /* its length: the root's span */
	struct jr_stretch serial[3]; /* longest stretches with one running */
	int nserial;
};
void jr_parallel(const struct jr_model *m, struct jr_par *r);
void jr_parallel_free(struct jr_par *r);
void jr_parallel_print(FILE *f, const struct jr_model *m, const struct jr_par *r, int markdown);

/* critical.c: the chain the wall time waited on, into r->crit (r->s, r->e set). */
void jr_critical(const struct jr_model *m, struct jr_par *r);
/* The path on one line per command, the most time first ("  " or "- " bullets). */
void jr_critical_print(FILE *f, const struct jr_model *m, const struct jr_par *r,
                       const char *bullet);

/* report.c: two logs side by side, with the ratio LOG2/LOG1. */
void jr_compare(FILE *f, const struct jr_model *a, const struct jr_model *b, int markdown);

/* trace.c: Chrome trace-event JSON; -1 after a message on failure. */
int jr_trace(const struct jr_model *m, const char *path);

/* plot.c: SVG timeline; -1 after a message on failure. */
int jr_plot(const struct jr_model *m, const char *path);

/* collector.c: joinrun collects its tree's records (the ring, docs/DESIGN.md). */
int jr_collector_begin(int watch);
void jr_collector_run(int pid);
void jr_collector_cancel(void);
/* checks.c: before anything runs; -1 after a message.  opt names the option. */
int jr_check_output(const char *opt, const char *path);
int jr_check_log(const char *path, long *at);
int jr_check_env(char **envp);
/* A note on stderr when cmd (as execvp finds it) is a static binary. */
void jr_note_static(const char *cmd);

#endif
