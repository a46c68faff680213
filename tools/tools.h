/*
 * tools.h - the launcher's outputs, all made from the model of events.h:
 * the per-command table and the tree's parallelism (summary, report),
 * the Chrome trace and the SVG plot.
 */
#ifndef JR_TOOLS_H
#define JR_TOOLS_H

#include <stdio.h>

#include "events.h"
#include "stats.h"
#include "tracectx.h"

/* table.c: a table of strings, printed aligned for a terminal or as Markdown. */
struct jr_table {
	int ncol, n, cap; /* cells: n of them, row-major; the first row is the header */
	char **cell;
};
void jr_table_init(struct jr_table *t, int ncol);
void jr_table_add(struct jr_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void jr_table_print(FILE *f, const struct jr_table *t, int markdown);
void jr_table_free(struct jr_table *t);

/* summary.c: the processes of one command (child_comm) or command line (argv). */
enum { JR_BY_COMM, JR_BY_ARGV };
struct jr_group {
	char *name;
	int n, abnormal, zombies, late;
	int nruns, last_run;                 /* runs it ran in */
	struct jr_dist real, user, sys, rss; /* ms, ms, ms, KiB */
	double total;                        /* real ms summed */
};
/* A process's key: its command name, or its command line (NULL if none known). */
const char *jr_key(const struct jr_proc *p, int key);
/* The groups of m (by command name), the most total real time first. */
struct jr_group *jr_groups(const struct jr_model *m, int *n);
/* The same over runs, by key. */
struct jr_group *jr_groups_of(struct jr_model *const *runs, int nruns, int key, int *n);
void jr_groups_free(struct jr_group *g, int n);
/* The per-command table of runs, pooled. */
void jr_group_table(FILE *f, const char *title, struct jr_model *const *runs, int nruns,
                    int markdown);
/* What user and sys times hold, under a table. */
void jr_times_note(FILE *f, int markdown);
/* Prints the per-command table and the parallelism of m. */
void jr_summary(FILE *f, const struct jr_model *m, int markdown);
/* "12.3" or "-" for a negative or NaN (unknown) number of ms. */
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
	double crit_ms;              /* its length: the root's span */
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

/* set.c: the runs of one log, or of every log in a directory (one run each). */
struct jr_set {
	char *name;
	struct jr_model **run;
	int n;
};
/* -1 after a message when a log cannot be read or holds no events. */
int jr_set_load(struct jr_set *s, const char *path);
void jr_set_free(struct jr_set *s);
/* Each run's wall time, ms (malloc'd). */
double *jr_set_walls(const struct jr_set *s);
/* The run whose wall time is the median's: the one whose tree is shown. */
int jr_set_typical(const struct jr_set *s);

/* report.c: one set summarised, or two compared, command by command. */
struct jr_row {
	char *name;
	int na, nb, ra, rb; /* invocations and runs on each side */
	double med_a, med_b;
	struct jr_ci ci;
	const char *basis; /* "runs", "invocations" or "too few" */
};
/* The rows of b against a by key (JR_BY_COMM, JR_BY_ARGV): a's order, then b's own. */
struct jr_row *jr_rows(const struct jr_set *a, const struct jr_set *b, int key, int *n);
void jr_rows_free(struct jr_row *r, int n);
void jr_report_one(FILE *f, const struct jr_set *s, int markdown);
void jr_compare(FILE *f, const struct jr_set *a, const struct jr_set *b, int markdown);

/* json.c: the same analysis as one JSON object (--json); -1 on failure. */
int jr_json(FILE *f, const struct jr_set *a, const struct jr_set *b);

/* trace.c: Chrome trace-event JSON; -1 after a message on failure. */
int jr_trace(const struct jr_model *m, const char *path);

/* plot.c: SVG timeline; -1 after a message on failure. */
int jr_plot(const struct jr_model *m, const char *path);

/* options.c: the one parser of joinrun's arguments; exits 2 after the usage. */
struct jr_opts {
	const char *out, *format, *trace, *plot;
	int watch, argv, repeat, summary, json, markdown, report;
	int otlp, propagate;              /* --otlp[=URL], --propagate */
	const char *otlp_url, *otlp_file; /* URL or NULL, --otlp-file */
	char **args;                      /* CMD and its arguments, or the logs of --report */
	int nargs;
};
void jr_parse(int argc, char **argv, struct jr_opts *o);
void jr_usage(void);

/* launch.c: running CMD.  LD_PRELOAD set to libjoin.so; -1 after a message. */
int jr_preload(void);
/* Runs cmd as the tree's root (its collector when log is not off); ours: write the
 * root's fork and reap lines into log.  CMD's exit status, 126/127, or 125; *ran
 * when CMD was executed (its status may be 126 or 127 too). */
int jr_run(char **cmd, const char *log, int ours, int watch, int *ran);
/* The run's trace for the OpenTelemetry export, or NULL: joinrun's fork line records
 * it; with propagate the root execs with TRACEPARENT naming its own span. */
struct jr_launch_trace {
	struct join_tracectx trace;
	uint64_t parent; /* the span of TRACEPARENT in joinrun's environment, or 0 */
	int propagate;
	int64_t mono_to_unix; /* CLOCK_MONOTONIC to the Unix epoch, once for the run */
};
extern const struct jr_launch_trace *jr_launch_trace;
/* path made absolute (malloc'd), NULL with errno. */
char *jr_absolute(const char *path);
/* path with %p replaced by rep (join_path_pid), malloc'd. */
char *jr_path_pid(const char *path, const char *rep, int glob);

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
