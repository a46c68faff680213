/* SPDX-License-Identifier: MIT */
/*
 * joinrun.c - the launcher: runs a command with libjoin preloaded (as
 * faketime runs one with libfaketime), then summarises, traces or plots
 * the JSONL log of its tree; runs it N times into a directory of logs; or,
 * with --report, summarises saved logs and compares two sets of them.
 * Parsing is options.c, running launch.c, the analysis report.c and json.c.
 *
 * Exit status: CMD's (128+N if killed by signal N); 2 for a usage error,
 * 126/127 when CMD cannot be run or found, 125 when joinrun itself fails
 * before CMD runs; --report: 0, or 1 when a log cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "otlp.h"
#include "tools.h"

extern char **environ;

/* --otlp, --otlp-file: read and checked before anything runs. */
static struct jr_otlp_cfg otlp;
static struct jr_launch_trace trace;
static struct jr_otlp_stream *stream; /* sending while the tree runs */
static int64_t tree_end;              /* the export's deadline: the timeout after it */

static int exporting(void)
{
	return otlp.send || otlp.file;
}

/* --- analysing ----------------------------------------------------------- */

/* Loads the logs (one path, or every file the %p pattern names written since
 * start) into m; -1 if one could not be read. */
static int load(struct jr_model *m, const char *log, const struct timespec *start, long at)
{
	if (!strstr(log, "%p"))
		return jr_model_read_from(m, log, at);
	char *pat = jr_path_pid(log, "*", 1);
	glob_t g;
	int rc = 0;
	if (glob(pat, 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			struct stat st;
			if (stat(g.gl_pathv[i], &st) < 0 || st.st_mtim.tv_sec < start->tv_sec ||
			    (st.st_mtim.tv_sec == start->tv_sec &&
			     st.st_mtim.tv_nsec < start->tv_nsec))
				continue;
			rc |= jr_model_read(m, g.gl_pathv[i]);
		}
		globfree(&g);
	}
	free(pat);
	return rc;
}

/* --trace, --plot and the exports are written last: find out now that they can be. */
static int check_outputs(const struct jr_opts *o)
{
	if (o->trace && jr_check_output("--trace", o->trace) < 0)
		return -1;
	if (o->plot && jr_check_output("--plot", o->plot) < 0)
		return -1;
	if (o->export_json && jr_check_output("--export-json", o->export_json) < 0)
		return -1;
	if (o->export_md && jr_check_output("--export-markdown", o->export_md) < 0)
		return -1;
	return 0;
}

/* The analysis into a file of its own (--export-json, --export-markdown); -1 after a
 * message. */
static int export_to(const char *path, const struct jr_set *a, const struct jr_set *b,
                     const struct jr_cmp *c, int json)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "joinrun: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int rc = 0;
	if (json)
		rc = jr_json(f, a, b, c);
	else if (b)
		jr_compare(f, a, b, c, 1);
	else
		jr_report_one(f, a, 1);
	if ((ferror(f) | (fclose(f) != 0)) || rc < 0) {
		fprintf(stderr, "joinrun: %s: %s\n", path, strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}

/* --report A B's verdict where CI looks: the job summary, annotations, the gate's exit
 * status (1 when a supported slowdown passes --fail-if-slower). */
static int verdict(const struct jr_opts *o, const struct jr_set *a, const struct jr_set *b,
                   const struct jr_cmp *c)
{
	const char *summary = getenv("GITHUB_STEP_SUMMARY"), *gha = getenv("GITHUB_ACTIONS");
	int rc = 0;
	if (summary && *summary && jr_step_summary(summary, a, b, c, 1L << 20) < 0)
		rc = -1;
	int beyond = jr_gate(stderr, c, o->fail_pct, gha && !strcmp(gha, "true"));
	if (o->fail_pct >= 0 && beyond)
		return 1;
	int weak = 0;
	for (int k = 0; k < c->n; k++)
		weak |= c->row[k].gated && c->row[k].tested && c->row[k].units < c->need;
	if (o->fail_pct >= 0 && (c->tested == 0 || weak))
		fprintf(
		    stderr,
		    "joinrun: %s: too few runs to support a change (at least %d runs a side are "
		    "needed)\n",
		    c->tested ? "a weak verdict" : "no verdict", c->need);
	return rc;
}

/* A log that lost records says so before anything is made of it. */
static void incomplete(const struct jr_set *s)
{
	for (int i = 0; s && i < s->n; i++)
		jr_lost_print(stderr, s->run[i]->name, &s->run[i]->lost);
}

/* The analyses asked for, of a set (the tree drawn: its run of median wall time), or of
 * two compared; -1 if one failed, 1 when the gate failed. */
static int outputs(const struct jr_opts *o, const struct jr_set *a, const struct jr_set *b, FILE *f)
{
	int rc = 0;
	struct jr_cmp c;
	incomplete(a);
	incomplete(b);
	if (b)
		jr_cmp_make(&c, a, b, o->metric);
	if (o->json)
		rc |= jr_json(f, a, b, b ? &c : NULL);
	else if (b)
		jr_compare(f, a, b, &c, o->markdown);
	else if (o->summary || o->report)
		jr_report_one(f, a, o->markdown);
	if (o->export_json && export_to(o->export_json, a, b, b ? &c : NULL, 1) < 0)
		rc = -1;
	if (o->export_md && export_to(o->export_md, a, b, b ? &c : NULL, 0) < 0)
		rc = -1;
	if (b) {
		fflush(f);
		int v = verdict(o, a, b, &c);
		rc = v ? v : rc;
		jr_cmp_free(&c);
	}
	const struct jr_model *m = a->run[jr_set_typical(a)];
	if (o->trace && jr_trace(m, o->trace) < 0)
		rc = -1;
	if (o->plot && jr_plot(m, o->plot) < 0)
		rc = -1;
	return rc;
}

static int report(const struct jr_opts *o)
{
	if (check_outputs(o) < 0)
		return 2;
	struct jr_set s[2];
	int bad = 0;
	for (int i = 0; i < o->nargs; i++)
		bad |= jr_set_load(&s[i], o->args[i]) < 0;
	if (!bad) {
		int rc = outputs(o, &s[0], o->nargs == 2 ? &s[1] : NULL, stdout);
		bad = rc == 1 ? 1 : rc < 0;
	}
	for (int i = 0; !bad && exporting() && i < o->nargs; i++)
		for (int k = 0; k < s[i].n; k++) { /* each run its trace, as it recorded it */
			struct jr_otlp_run r;
			jr_otlp_run_of(&otlp, s[i].run[k], &r);
			bad |=
			    jr_otlp_export(&otlp, s[i].run[k], &r, s[i].run[k]->name, 0, NULL) < 0;
		}
	for (int i = 0; i < o->nargs; i++)
		jr_set_free(&s[i]);
	if (fflush(stdout) != 0)
		bad = 1;
	return bad;
}

/* After one run: its log (or logs, with %p) as a set of one run.  A temporary log
 * (tmp) is removed once read: joinrun killed while it prints (SIGPIPE of `| head`)
 * leaves nothing behind. */
static int analyse(const struct jr_opts *o, const char *log, const struct timespec *start, long at,
                   const char *tmp)
{
	struct jr_model m;
	jr_model_init(&m, o->out ? o->out : o->args[0]);
	int bad = load(&m, log, start, at) < 0;
	if (tmp)
		unlink(tmp);
	jr_model_build(&m);
	jr_lost_add(m.lost.n, m.lost.err); /* what the log itself says it lost */
	m.lost = jr_lost;
	if (!bad && m.events == 0 && !m.lost.n) {
		char *name = strdup(o->args[0]); /* the command, not the log, was loaded */
		if (name)
			jr_sanitise(name);
		fprintf(stderr,
		        "joinrun: no events in the log: was libjoin loaded into %s? (static "
		        "programs are not seen)\n",
		        name ? name : "CMD");
		free(name);
	}
	struct jr_model *one = &m;
	struct jr_set s = {.name = m.name, .run = &one, .n = 1};
	if (!bad && outputs(o, &s, NULL, stderr) < 0)
		bad = 1;
	if (exporting()) { /* its failure is said, and changes no exit status */
		struct jr_otlp_run r = {trace.trace, trace.parent, trace.mono_to_unix,
		                        otlp.tracestate};
		int64_t deadline = tree_end + (int64_t)otlp.timeout_ms * 1000000;
		struct jr_otlp_sent sent = jr_otlp_stream_stop(stream);
		jr_otlp_export(&otlp, &m, &r, o->out && !strstr(log, "%p") ? log : NULL, deadline,
		               &sent);
		jr_otlp_sent_free(&sent);
		stream = NULL;
	}
	jr_model_free(&m);
	return bad;
}

/* --- running ------------------------------------------------------------- */

/* Which option needs a JSONL log; NULL if none does. */
static const char *needs_jsonl(const struct jr_opts *o)
{
	return o->summary                ? "--summary"
	       : o->otlp || o->otlp_file ? "--otlp"
	       : o->trace                ? "--trace"
	       : o->plot                 ? "--plot"
	       : o->export_json          ? "--export-json"
	       : o->export_md            ? "--export-markdown"
	       : o->argv                 ? "--argv"
	       : o->repeat               ? "--repeat"
	                                 : NULL;
}

/* -o NAME.jsonl: the name says the format. */
static int jsonl_name(const char *out)
{
	size_t n = out ? strlen(out) : 0;
	return n > 6 && !strcmp(out + n - 6, ".jsonl");
}

/* The format the tree writes, once environment() has set it. */
static const char *format_of(void)
{
	const char *f = getenv("JOIN_FORMAT");
	return f && !strcmp(f, "jsonl") ? "jsonl" : "await";
}

/* The JOIN_* variables of the tree, checked as the library will read them. */
static int environment(const struct jr_opts *o)
{
	if (needs_jsonl(o))
		setenv("JOIN_FORMAT", "jsonl", 1);
	else if (o->format)
		setenv("JOIN_FORMAT", o->format, 1);
	else if (jsonl_name(o->out))
		setenv("JOIN_FORMAT", "jsonl", 1);
	if (o->watch)
		setenv("JOIN_WATCH", "1", 1);
	if (o->argv)
		setenv("JOIN_ARGV", "1", 1);
	if (o->propagate && exporting())
		setenv("JOIN_PROPAGATE", "1", 1);
	else
		unsetenv("JOIN_PROPAGATE"); /* a joinrun inside a tree: not its parent's */
	return jr_check_env(environ);
}

/* --prepare CMD before run i; 0, or its status after a message. */
static int prepare(const char *cmd, int i)
{
	int rc = jr_prepare(cmd);
	if (rc)
		fprintf(stderr, "joinrun: --prepare exited %d before run %d: no more runs\n", rc,
		        i);
	return rc;
}

static int once(const struct jr_opts *o)
{
	char *log = NULL, *tmp = NULL;
	int analysis =
	    o->summary || o->trace || o->plot || o->export_json || o->export_md || exporting();
	int special = o->out && (!strcmp(o->out, "stderr") || !strcmp(o->out, "off") ||
	                         !strncmp(o->out, "fd:", 3));
	if (special && analysis) {
		fprintf(stderr, "joinrun: %s needs a log file, not -o %s\n", needs_jsonl(o),
		        o->out);
		return 2;
	}
	if (special)
		setenv("JOIN_LOG", o->out, 1); /* the library's own destinations, as they are */
	else if (o->out && !(log = jr_absolute(o->out))) {
		fprintf(stderr, "joinrun: %s: %s\n", o->out, strerror(errno));
		return 125;
	} else if (!o->out && analysis) {
		const char *dir = getenv("TMPDIR");
		if (asprintf(&tmp, "%s/joinrun.XXXXXX", dir && *dir ? dir : "/tmp") < 0)
			return 125;
		int fd = mkstemp(tmp);
		if (fd < 0) {
			fprintf(stderr, "joinrun: %s: %s\n", tmp, strerror(errno));
			return 125;
		}
		close(fd);
		log = strdup(tmp);
	}
	struct stat st;
	if (analysis && o->out && log && stat(log, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr,
		        "joinrun: %s reads the log back: -o %s is not a regular file (without -o "
		        "a temporary log is used)\n",
		        needs_jsonl(o), o->out);
		free(log);
		return 2;
	}
	if (log)
		setenv("JOIN_LOG", log, 1);
	long at = 0; /* where this run's lines begin in an existing log */
	int rc = 2;
	/* A log for this run: made here, or one of the same format it appends to; %p logs
	 * are the library's. */
	if (environment(o) < 0 ||
	    (o->out && log && !strstr(log, "%p") && jr_check_log(log, format_of(), &at) < 0))
		goto out;
	jr_note_static(o->args[0]);
	if (exporting()) {
		jr_otlp_trace(&otlp, &trace.trace, &trace.parent);
		trace.propagate = o->propagate;
		trace.mono_to_unix = jr_mono_to_unix();
		jr_launch_trace = &trace;
		struct jr_otlp_run r = {trace.trace, trace.parent, trace.mono_to_unix,
		                        otlp.tracestate};
		stream = jr_otlp_stream_start(&otlp, &r, log, at);
	}
	const char *fmt = format_of();
	struct timespec start;
	clock_gettime(CLOCK_REALTIME, &start);
	start.tv_sec -= 1; /* file times are coarser than the clock */
	int ran;
	if (o->prepare && (rc = prepare(o->prepare, 1)) != 0)
		goto out;
	rc = jr_run(o->args, log, log && fmt && !strcmp(fmt, "jsonl"), o, &ran);
	tree_end = jr_otlp_now();
	if (ran && analysis && analyse(o, log, &start, at, tmp) && rc == 0)
		rc = 1;
	else if (!analysis) /* the summary says it first, else here, once */
		jr_lost_print(stderr, log ? log : o->out ? o->out : "stderr", &jr_lost);
	if (stream) { /* CMD did not run: nothing to send */
		struct jr_otlp_sent sent = jr_otlp_stream_stop(stream);
		jr_otlp_sent_free(&sent);
		stream = NULL;
	}
out:
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(log);
	return rc;
}

/* -o DIR for --repeat: new, or empty: a set is the runs of one --repeat. */
static char *run_dir(const char *out)
{
	char *dir = jr_absolute(out);
	if (!dir || (mkdir(dir, 0777) < 0 && errno != EEXIST)) {
		fprintf(stderr, "joinrun: -o %s: %s\n", out, strerror(errno));
		free(dir);
		return NULL;
	}
	DIR *d = opendir(dir);
	struct dirent *e;
	int used = !d;
	while (d && (e = readdir(d)))
		used |= strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	if (d)
		closedir(d);
	if (used) {
		fprintf(stderr, "joinrun: -o %s: %s\n", out,
		        d ? "not empty: the logs of --repeat go into a new or empty directory"
		          : strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* On a terminal, as hyperfine shows it: the run, the last and the mean time, and the
 * time left at that mean. */
static void progress(int i, int n, double last, double sum)
{
	if (isatty(2))
		fprintf(stderr, "\rjoinrun: run %d/%d: %.3f s, mean %.3f s, about %.0f s left ", i,
		        n, last, sum / i, sum / i * (n - i));
}

/* --warmup: each command run unlogged (JOIN_LOG=off) before the measured runs; CMD's
 * exit status, the first that is not 0. */
static int warm(const struct jr_opts *o, char **const cmd[], int ncmd)
{
	int rc = 0, ran;
	struct jr_opts unwatched = *o;
	unwatched.watch = 0;
	setenv("JOIN_LOG", "off", 1);
	for (int w = 0; w < o->warmup && rc == 0; w++)
		for (int k = 0; k < ncmd && rc == 0; k++)
			rc = jr_run(cmd[k], NULL, 0, &unwatched, &ran);
	if (rc)
		fprintf(stderr, "joinrun: a warm-up run exited %d: no measured runs\n", rc);
	return rc;
}

/* The directories of the runs' logs: DIR, or DIR/a and DIR/b for --vs. */
static int side_dirs(const char *dir, int ncmd, char *side[2])
{
	side[0] = side[1] = NULL;
	for (int k = 0; k < ncmd; k++) {
		if (ncmd == 1 ? !(side[k] = strdup(dir))
		              : asprintf(&side[k], "%s/%c", dir, "ab"[k]) < 0)
			return -1;
		if (ncmd > 1 && mkdir(side[k], 0777) < 0) {
			fprintf(stderr, "joinrun: %s: %s\n", side[k], strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Run i of command k into its side's directory; CMD's status, 2 if the log is refused. */
static int measured(const struct jr_opts *o, char **cmd, const char *side, int digits, int i,
                    int *ran, double *t)
{
	char *log;
	long at;
	if (asprintf(&log, "%s/run-%0*d.jsonl", side, digits, i) < 0)
		return 125;
	setenv("JOIN_LOG", log, 1);
	int rc = 2;
	*ran = 0;
	if (jr_check_log(log, "jsonl", &at) == 0) {
		*t = seconds();
		rc = jr_run(cmd, log, 1, o, ran);
		*t = seconds() - *t;
	}
	free(log);
	return rc;
}

/* A command that works only the first time (a build, then up-to-date builds) makes
 * run 1 unlike the rest: say so, as the set's figures then measure two things. */
static void first_run(const struct jr_set *s, int prepared)
{
	if (s->n < 2)
		return;
	int *c = jr_set_counts(s), lo = c[1], hi = c[1];
	for (int i = 2; i < s->n; i++) {
		lo = c[i] < lo ? c[i] : lo;
		hi = c[i] > hi ? c[i] : hi;
	}
	int more = c[0] >= 2 * hi && c[0] - hi >= 3, fewer = lo >= 2 * c[0] && lo - c[0] >= 3;
	char others[32], made[32];
	snprintf(others, sizeof others, s->n == 2 ? "run 2" : "runs 2–%d", s->n);
	snprintf(made, sizeof made, lo == hi ? "%d" : "%d to %d", lo, hi);
	if (more || fewer)
		fprintf(stderr,
		        "joinrun: warning: run 1 made %d process%s, %s made %s; is the command "
		        "idempotent? %s\n",
		        c[0], c[0] == 1 ? "" : "es", others, made,
		        prepared ? "(--prepare did not make the runs alike)"
		                 : "(--prepare CMD runs a command before each run, such as a "
		                   "clean)");
	free(c);
}

/* After the runs: each set checked for a first run unlike the rest, then the set
 * summarised, or the two sets compared (the gate's status). */
static int analyse_sets(const struct jr_opts *o, char *side[2], int ncmd)
{
	int analysis =
	    ncmd > 1 || o->summary || o->trace || o->plot || o->export_json || o->export_md;
	if (!analysis && o->repeat < 2)
		return 0;
	struct jr_set s[2];
	int bad = 0;
	for (int k = 0; k < ncmd; k++) {
		int b = jr_set_load(&s[k], side[k]) < 0;
		if (!b)
			first_run(&s[k], o->prepare != NULL);
		bad |= b;
	}
	int rc = !analysis ? 0 : bad ? 1 : outputs(o, &s[0], ncmd > 1 ? &s[1] : NULL, stderr);
	for (int k = 0; k < ncmd; k++)
		jr_set_free(&s[k]);
	return rc < 0 ? 1 : rc;
}

static int repeat(const struct jr_opts *o)
{
	if (!strcmp(o->out, "stderr") || !strcmp(o->out, "off") || !strncmp(o->out, "fd:", 3)) {
		fprintf(stderr, "joinrun: --repeat needs -o DIR, not -o %s\n", o->out);
		return 2;
	}
	char **const cmd[2] = {o->args, o->vs};
	int ncmd = o->vs ? 2 : 1;
	char *side[2] = {NULL, NULL}, *dir = run_dir(o->out);
	if (!dir || environment(o) < 0 || side_dirs(dir, ncmd, side) < 0) {
		free(dir);
		free(side[0]);
		free(side[1]);
		return 2;
	}
	for (int k = 0; k < ncmd; k++)
		jr_note_static(cmd[k][0]);
	int rc = warm(o, cmd, ncmd), digits = snprintf(NULL, 0, "%d", o->repeat), i, k = 0, ran = 1;
	double sum = 0, t = 0;
	/* A then B in every round: the machine's drift falls on both alike. */
	for (i = 1; i <= o->repeat && rc == 0; i++)
		for (k = 0; k < ncmd && rc == 0; k++) {
			if (o->prepare && (rc = prepare(o->prepare, i)) != 0) {
				ran = 0;
				break;
			}
			rc = measured(o, cmd[k], side[k], digits, i, &ran, &t);
			sum += t;
			progress((i - 1) * ncmd + k + 1, o->repeat * ncmd, t, sum);
		}
	if (isatty(2))
		fputc('\n', stderr);
	if (rc && ran)
		fprintf(stderr, "joinrun: run %d of %d%s exited %d: no more runs\n", i - 1,
		        o->repeat, ncmd > 1 ? (k == 1 ? " of A" : " of B") : "", rc);
	if (!rc)
		rc = analyse_sets(o, side, ncmd);
	free(side[0]);
	free(side[1]);
	free(dir);
	return rc;
}

int main(int argc, char **argv)
{
	struct jr_opts o;
	jr_parse(argc, argv, &o);
	int rc;
	if ((o.otlp || o.otlp_file) && jr_otlp_config(&otlp, o.otlp, o.otlp_url, o.otlp_file) < 0)
		rc = 2;
	else if (o.otlp_file && jr_check_output("--otlp-file", o.otlp_file) < 0)
		rc = 2;
	else if (o.report)
		rc = report(&o);
	else if (check_outputs(&o) < 0)
		rc = 2;
	else if (o.format && !strcmp(o.format, "await") && needs_jsonl(&o)) {
		fprintf(stderr, "joinrun: %s needs -f jsonl\n", needs_jsonl(&o));
		rc = 2;
	} else if (jr_preload() < 0)
		rc = 125;
	else
		rc = o.repeat ? repeat(&o) : once(&o);
	free(o.args);
	jr_otlp_config_free(&otlp);
	return rc;
}
