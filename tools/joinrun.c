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

/* --trace and --plot are written last: find out now that they can be. */
static int check_outputs(const struct jr_opts *o)
{
	if (o->trace && jr_check_output("--trace", o->trace) < 0)
		return -1;
	if (o->plot && jr_check_output("--plot", o->plot) < 0)
		return -1;
	return 0;
}

/* The analyses asked for, of a set (the tree drawn: its run of median wall time);
 * -1 if one failed. */
static int outputs(const struct jr_opts *o, const struct jr_set *a, const struct jr_set *b, FILE *f)
{
	int rc = 0;
	if (o->json)
		rc |= jr_json(f, a, b);
	else if (b)
		jr_compare(f, a, b, o->markdown);
	else if (o->summary || o->report)
		jr_report_one(f, a, o->markdown);
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
	if (!bad)
		bad = outputs(o, &s[0], o->nargs == 2 ? &s[1] : NULL, stdout) < 0;
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

/* After one run: its log (or logs, with %p) as a set of one run. */
static int analyse(const struct jr_opts *o, const char *log, const struct timespec *start, long at)
{
	struct jr_model m;
	jr_model_init(&m, o->out ? o->out : o->args[0]);
	int bad = load(&m, log, start, at) < 0;
	jr_model_build(&m);
	if (!bad && m.events == 0)
		fprintf(stderr,
		        "joinrun: no events in the log: was libjoin loaded into %s? (static "
		        "programs are not seen)\n",
		        m.name);
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
	       : o->argv                 ? "--argv"
	       : o->repeat               ? "--repeat"
	                                 : NULL;
}

/* The JOIN_* variables of the tree, checked as the library will read them. */
static int environment(const struct jr_opts *o)
{
	if (needs_jsonl(o))
		setenv("JOIN_FORMAT", "jsonl", 1);
	else if (o->format)
		setenv("JOIN_FORMAT", o->format, 1);
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

static int once(const struct jr_opts *o)
{
	char *log = NULL, *tmp = NULL;
	int analysis = o->summary || o->trace || o->plot || exporting();
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
	if (log)
		setenv("JOIN_LOG", log, 1);
	long at = 0; /* where this run's lines begin in an existing log */
	int rc = 2;
	/* A fresh log for this run: made here, or an empty one; %p logs are the library's. */
	if (environment(o) < 0 ||
	    (o->out && log && !strstr(log, "%p") && jr_check_log(log, &at) < 0))
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
	const char *fmt = getenv("JOIN_FORMAT");
	struct timespec start;
	clock_gettime(CLOCK_REALTIME, &start);
	start.tv_sec -= 1; /* file times are coarser than the clock */
	int ran;
	rc = jr_run(o->args, log, log && fmt && !strcmp(fmt, "jsonl"), o->watch, &ran);
	tree_end = jr_otlp_now();
	if (ran && analysis && analyse(o, log, &start, at) && rc == 0)
		rc = 1;
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

/* On a terminal, as hyperfine shows it: the run, the last and the mean time. */
static void progress(int i, int n, double last, double sum)
{
	if (isatty(2))
		fprintf(stderr, "\rjoinrun: run %d/%d: %.3f s, mean %.3f s ", i, n, last, sum / i);
}

static int repeat(const struct jr_opts *o)
{
	if (!strcmp(o->out, "stderr") || !strcmp(o->out, "off") || !strncmp(o->out, "fd:", 3)) {
		fprintf(stderr, "joinrun: --repeat needs -o DIR, not -o %s\n", o->out);
		return 2;
	}
	char *dir = run_dir(o->out);
	if (!dir || environment(o) < 0) {
		free(dir);
		return 2;
	}
	jr_note_static(o->args[0]);
	int rc = 0, digits = snprintf(NULL, 0, "%d", o->repeat), i, ran = 1;
	double sum = 0;
	for (i = 1; i <= o->repeat && rc == 0; i++) {
		char *log;
		long at;
		if (asprintf(&log, "%s/run-%0*d.jsonl", dir, digits, i) < 0)
			return 125;
		setenv("JOIN_LOG", log, 1);
		if (jr_check_log(log, &at) < 0) {
			free(log);
			rc = 2;
			ran = 0;
			break;
		}
		double t = seconds();
		rc = jr_run(o->args, log, 1, o->watch, &ran);
		t = seconds() - t;
		sum += t;
		progress(i, o->repeat, t, sum);
		free(log);
	}
	if (isatty(2))
		fputc('\n', stderr);
	if (rc && ran)
		fprintf(stderr, "joinrun: run %d of %d exited %d: no more runs\n", i - 1, o->repeat,
		        rc);
	if (!rc && (o->summary || o->json || o->trace || o->plot)) {
		struct jr_set s;
		if (jr_set_load(&s, dir) < 0 || outputs(o, &s, NULL, stderr) < 0)
			rc = 1;
		jr_set_free(&s);
	}
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
