/* SPDX-License-Identifier: MIT */
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
#include "trace/tracectx.h"

/* accounting.c: every process of the tree accounted (docs/DESIGN.md, "Accounting"). */
struct jr_live {
	int pid;
	char comm[16];
	int64_t start_ns; /* CLOCK_MONOTONIC; 0 unknown */
};
/* The living descendants of pid (its children, theirs, ...), malloc'd into *v. */
int jr_descendants(int pid, struct jr_live **v);
/* "N processes could not be followed (static: a, ...)" of counts by enum join_opaque
 * (4 of them); 0 when there were none. */
int jr_opaque_text(char *buf, size_t n, const uint64_t counts[4]);
/* The model's orphans, stragglers and blind spots, after a summary; nothing if none. */
void jr_accounting_print(FILE *f, const struct jr_model *m, int markdown);

/* columns.c: a table of strings, printed aligned for a terminal or as Markdown. */
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
	struct jr_dist real, user, sys, rss; /* ms, ms, ms, KiB; user, sys inclusive */
	struct jr_dist cpu, self;            /* user+sys, inclusive and own: ms */
	struct jr_dist self_user, self_sys;  /* ms: the processes' own CPU */
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
	int cut; /* runs whose log ends early (jr_model_cut) */
};
/* -1 after a message when a log cannot be read or holds no events. */
int jr_set_load(struct jr_set *s, const char *path);
void jr_set_free(struct jr_set *s);
/* Processes each run made (malloc'd). */
int *jr_set_counts(const struct jr_set *s);
/* Each run's wall time, ms (malloc'd). */
double *jr_set_walls(const struct jr_set *s);
/* The run whose wall time is the median's: the one whose tree is shown. */
int jr_set_typical(const struct jr_set *s);

/* report.c: one set summarised, or two compared, command by command. */
enum { JR_METRIC_REAL, JR_METRIC_CPU, JR_METRIC_SELF_CPU, JR_METRIC_MAXRSS };
struct jr_row {
	char *name;
	int na, nb, ra, rb; /* invocations and runs on each side */
	double med_a, med_b;
	struct jr_ci ci;
	const char *basis; /* "runs", "invocations" or "too few" */
	int tested, exact; /* the rank test ran; from the exact distribution */
	int units;         /* the smaller side's number of units */
	double p, q;       /* Mann–Whitney p, Holm-adjusted q; NaN when untested */
	int change;        /* after the verdict: +1 slower, -1 faster, 0 none supported */
	int gated;         /* of the metric compared: counted in the verdict and the gate */
};
/* The rows of b against a by key (JR_BY_COMM, JR_BY_ARGV) for a metric (JR_METRIC_*):
 * a's order, then b's own; p-values unadjusted.  paired: run i of b was interleaved
 * with run i of a (jr_interleaved), and the pairs are tested. */
struct jr_row *jr_rows(const struct jr_set *a, const struct jr_set *b, int key, int metric,
                       int paired, int *n);
void jr_rows_free(struct jr_row *r, int n);
void jr_report_one(FILE *f, const struct jr_set *s, int markdown);

/* verdict.c: a comparison and what it supports.  The tree's rows (wall time, total
 * CPU) come first, then the commands; Holm's correction runs over all of them. */
struct jr_cmp {
	int metric, paired;
	struct jr_row *row;
	int n, ntree;
	struct jr_row *lines; /* by command line, a family of its own */
	int nlines;
	int tested, regressions, improvements;
	int need;       /* runs a side the exact test needs to support a change in this family */
	double geomean; /* of the commands' ratios; NaN when none */
};
/* Whether the runs of a and b alternate in time (A1 B1 A2 B2 ..., or B first), as
 * --vs makes them: then run i of each side is a pair. */
int jr_interleaved(const struct jr_set *a, const struct jr_set *b);
void jr_cmp_make(struct jr_cmp *c, const struct jr_set *a, const struct jr_set *b, int metric);
void jr_cmp_free(struct jr_cmp *c);
/* The regressions beyond pct percent that the test supports, named on f (and as
 * GitHub annotations on stdout when annotate); their number. */
int jr_gate(FILE *f, const struct jr_cmp *c, double pct, int annotate);
/* The metric's name and unit, for headers: "real time", "ms". */
const char *jr_metric_name(int metric);
const char *jr_metric_unit(int metric);

void jr_compare(FILE *f, const struct jr_set *a, const struct jr_set *b, const struct jr_cmp *c,
                int markdown);
/* The comparison's Markdown, the significant rows first, appended to path in at most
 * limit bytes (GitHub's job summary); -1 after a message. */
int jr_step_summary(const char *path, const struct jr_set *a, const struct jr_set *b,
                    const struct jr_cmp *c, long limit);

/* json.c: the same analysis as one JSON object (--json); c is b's comparison with a
 * (NULL without b); -1 on failure.  Of the critical path, the JR_CRIT_TOP longest
 * stretches (and their count). */
#define JR_CRIT_TOP 20
int jr_json(FILE *f, const struct jr_set *a, const struct jr_set *b, const struct jr_cmp *c);

/* trace.c: Chrome trace-event JSON; -1 after a message on failure. */
int jr_trace(const struct jr_model *m, const char *path);

/* plot.c: SVG timeline; -1 after a message on failure. */
int jr_plot(const struct jr_model *m, const char *path);

/* options.c: the one parser of joinrun's arguments; exits 2 after the usage. */
struct jr_opts {
	const char *out, *format, *trace, *plot;
	const char *export_json, *export_md; /* --export-json FILE, --export-markdown FILE */
	const char *prepare;                 /* --prepare CMD: run by sh before each run */
	int watch, argv, repeat, summary, json, markdown, report, wait_all;
	int metric, warmup;
	int otlp, propagate;              /* --otlp[=URL], --propagate */
	const char *otlp_url, *otlp_file; /* URL or NULL, --otlp-file */
	double fail_pct;                  /* --fail-if-slower; < 0: no gate */
	char **args;                      /* CMD and its arguments, or the logs of --report */
	int nargs;
	char **vs; /* --vs: the second command of an interleaved --repeat, or NULL */
};
void jr_parse(int argc, char **argv, struct jr_opts *o);
void jr_usage(void);

/* launch.c: running CMD.  LD_PRELOAD set to libjoin.so; -1 after a message. */
int jr_preload(void);
/* Runs cmd as the tree's root (its collector when log is not off, its child subreaper:
 * orphans recorded, stragglers listed or, with o->wait_all, waited for); ours: write the
 * root's fork and reap lines into log.  CMD's exit status, 126/127, or 125; *ran
 * when CMD was executed (its status may be 126 or 127 too). */
struct jr_opts;
int jr_run(char **cmd, const char *log, int ours, const struct jr_opts *o, int *ran);
/* --prepare CMD: sh -c CMD without libjoin (not measured, not logged), waited for;
 * its exit status (128+N for signal N), 125 if it could not be run. */
int jr_prepare(const char *cmd);
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
struct join_collect_stats;
int jr_collector_begin(int watch);
int jr_collector_run(int pid, int subreaper, int wait_all, struct join_collect_stats *st);
void jr_collector_cancel(void);
/* sweep.c: removes the rings of ours that dead collectors left and no process maps. */
void jr_sweep_rings(void);
/* lost.c: records of a run that did not reach its log (the collector's count,
 * joinrun's own lines), said once: "the log is incomplete: N records lost, WHY". */
extern struct jr_loss jr_lost;
void jr_lost_add(unsigned long long n, int err);
/* The sentence, without a newline, into buf. */
const char *jr_lost_text(char *buf, size_t cap, const struct jr_loss *l);
/* One line on f when l lost records: "joinrun: NAME: the log is incomplete: ...". */
void jr_lost_print(FILE *f, const char *name, const struct jr_loss *l);

/* checks.c: before anything runs; -1 after a message.  opt names the option. */
int jr_check_output(const char *opt, const char *path);
int jr_check_log(const char *path, const char *format, long *at);
int jr_check_env(char **envp);
/* A note on stderr when cmd (as execvp finds it) is a static binary. */
void jr_note_static(const char *cmd);

#endif
