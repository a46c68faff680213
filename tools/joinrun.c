/*
 * joinrun.c - the launcher: runs a command with libjoin preloaded (as
 * faketime runs one with libfaketime), then summarises, traces or plots
 * the JSONL log of its tree; or, with --report, summarises saved logs.
 *
 *	joinrun [-o FILE] [-f await|jsonl] [--watch] [--summary] [--trace FILE]
 *	        [--plot FILE] [--markdown] [--] CMD [ARG...]
 *	joinrun --report LOG [LOG2] [--markdown] [--trace FILE] [--plot FILE]
 *
 * Exit status: CMD's (128+N if killed by signal N); 2 for a usage error,
 * 126/127 when CMD cannot be run or found, 125 when joinrun itself fails
 * before CMD runs; --report: 0, or 1 when a log cannot be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tools.h"

#ifndef JOIN_LIBDIR
#define JOIN_LIBDIR "/usr/local/lib"
#endif

#ifndef JOIN_VERSION
#define JOIN_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: joinrun [-o FILE] [-f await|jsonl] [--watch] [--summary] [--trace FILE]\n"
    "               [--plot FILE] [--markdown] [--] CMD [ARG...]\n"
    "       joinrun --report LOG [LOG2] [--markdown] [--trace FILE] [--plot FILE]\n"
    "       joinrun --help | --version\n";

static const char help_text[] =
    "Runs CMD with libjoin preloaded and logs every child that a process of its\n"
    "tree makes and reaps; or summarises saved JSONL logs.  See joinrun(1), libjoin(3).\n"
    "\n"
    "  -o, --output FILE  log to FILE (JOIN_LOG): a new or empty file, never a\n"
    "                     symbolic link, never one that holds records; or stderr,\n"
    "                     off, fd:N; %p in FILE is each writer's pid\n"
    "  -f, --format FMT   await (Plan 9 await records, the default) or jsonl (events)\n"
    "      --watch        exact exit times and live zombie warnings (JOIN_WATCH=1)\n"
    "      --summary      after CMD, a table per command on stderr and the tree's\n"
    "                     parallelism (implies -f jsonl)\n"
    "      --trace FILE   write the tree as Chrome trace-event JSON (implies -f jsonl)\n"
    "      --plot FILE    write an SVG timeline of the tree (implies -f jsonl)\n"
    "      --markdown     the --summary or --report table as Markdown\n"
    "      --report LOG [LOG2]\n"
    "                     summarise saved JSONL logs, two side by side; runs nothing\n"
    "  -h, --help         this help\n"
    "      --version      joinrun's version\n"
    "\n"
    "Everything is checked before CMD runs: output paths, JOIN_* variables.\n"
    "Exit status: CMD's (128+N if killed by signal N); 2 for bad arguments or\n"
    "environment; 126/127 when CMD cannot be run or found; 125 when joinrun fails.\n";

static void usage(void)
{
	fputs(usage_text, stderr);
	exit(2);
}

struct opts {
	const char *out, *format, *trace, *plot;
	int watch, summary, markdown, report;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* libjoin.so beside this executable, else in JOIN_LIBDIR; NULL if neither. */
static char *find_lib(char *tried, size_t n)
{
	static char path[PATH_MAX + 16];
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	tried[0] = 0;
	if (len > 0) {
		exe[len] = 0;
		snprintf(path, sizeof path, "%s/libjoin.so", dirname(exe));
		if (access(path, R_OK) == 0)
			return path;
		snprintf(tried, n, "%s, ", path);
	}
	snprintf(path, sizeof path, "%s/libjoin.so", JOIN_LIBDIR);
	if (access(path, R_OK) == 0)
		return path;
	size_t used = strlen(tried);
	snprintf(tried + used, n - used, "%s", path);
	return NULL;
}

static char *absolute(const char *path)
{
	if (path[0] == '/')
		return strdup(path);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return NULL;
	char *s;
	return asprintf(&s, "%s/%s", cwd, path) < 0 ? NULL : s;
}

/* path with every %p replaced by rep (a pid, or "*" with the rest escaped for glob). */
static char *expand(const char *path, const char *rep, int for_glob)
{
	size_t n = 0;
	for (const char *p = strstr(path, "%p"); p; p = strstr(p + 2, "%p"))
		n++;
	char *s = jr_xmalloc(2 * strlen(path) + n * strlen(rep) + 1), *k = s;
	for (const char *p = path; *p; p++) {
		if (p[0] == '%' && p[1] == 'p') {
			k = stpcpy(k, rep);
			p++;
		} else {
			if (for_glob && strchr("*?[]\\", *p))
				*k++ = '\\';
			*k++ = *p;
		}
	}
	*k = 0;
	return s;
}

static void read_comm(pid_t pid, char *buf, size_t n)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
	buf[0] = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	ssize_t r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0)
		r = 0;
	buf[r] = 0;
	buf[strcspn(buf, "\n")] = 0;
}

/* One line of our own into the log, as libjoin writes its own: one write
 * on an O_APPEND descriptor. */
static void log_line(const char *path, json_t *o)
{
	if (!o)
		return;
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		return;
	char pid[24];
	snprintf(pid, sizeof pid, "%d", (int)getpid());
	char *p = expand(path, pid, 0);
	int fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (fd >= 0) {
		size_t n = strlen(s);
		s[n] = '\n';
		if (write(fd, s, n + 1) < 0)
			fprintf(stderr, "joinrun: %s: %s\n", p, strerror(errno));
		s[n] = 0;
		close(fd);
	}
	free(p);
	free(s);
}

static long ms_of(struct timeval tv)
{
	return (long)((tv.tv_sec * 1000000LL + tv.tv_usec + 500) / 1000);
}

static volatile sig_atomic_t child_pid;
static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* Loads the logs (one path, or every file the %p pattern names written since
 * start) into m; -1 if one could not be read. */
static int load(struct jr_model *m, const char *log, const struct timespec *start, long at)
{
	if (!strstr(log, "%p"))
		return jr_model_read_from(m, log, at);
	char *pat = expand(log, "*", 1);
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

/* The outputs asked for, made from the model; -1 if one failed. */
static int outputs(struct jr_model *m, const struct opts *o, FILE *table)
{
	int rc = 0;
	if (o->summary || o->report)
		jr_summary(table, m, o->markdown);
	if (o->trace && jr_trace(m, o->trace) < 0)
		rc = -1;
	if (o->plot && jr_plot(m, o->plot) < 0)
		rc = -1;
	return rc;
}

/* A log with no event about a child is no log of libjoin's (or an empty one): an
 * empty table would pass for a tree that did nothing. */
static int no_events(const struct jr_model *m, const char *path)
{
	if (m->events)
		return 0;
	if (!m->lines)
		fprintf(stderr, "joinrun: %s: empty: no events to report\n", path);
	else
		fprintf(stderr, "joinrun: %s: no libjoin events in %ld lines: not a JSONL log\n",
		        path, m->lines);
	return 1;
}

/* --trace and --plot are written last: find out now that they can be. */
static int check_outputs(const struct opts *o)
{
	if (o->trace && jr_check_output("--trace", o->trace) < 0)
		return -1;
	if (o->plot && jr_check_output("--plot", o->plot) < 0)
		return -1;
	return 0;
}

static int report(const struct opts *o, char **logs, int nlogs)
{
	if (nlogs < 1 || nlogs > 2)
		usage();
	struct jr_model m[2];
	int bad = 0;
	for (int i = 0; i < nlogs; i++) {
		jr_model_init(&m[i], logs[i]);
		if (jr_model_read(&m[i], logs[i]) < 0)
			bad = 1;
		else if (no_events(&m[i], logs[i]))
			bad = 1;
		jr_model_build(&m[i]);
	}
	if (!bad) {
		if (nlogs == 1)
			bad |= outputs(&m[0], o, stdout) < 0;
		else {
			jr_compare(stdout, &m[0], &m[1], o->markdown);
			struct opts one = *o;
			one.report = 0;
			bad |= outputs(&m[0], &one, stdout) < 0;
		}
	}
	for (int i = 0; i < nlogs; i++)
		jr_model_free(&m[i]);
	if (fflush(stdout) != 0)
		bad = 1;
	return bad;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'},
	    {"watch", no_argument, NULL, 'w'},
	    {"summary", no_argument, NULL, 's'},
	    {"trace", required_argument, NULL, 't'},
	    {"plot", required_argument, NULL, 'p'},
	    {"markdown", no_argument, NULL, 'm'},
	    {"report", no_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {0, 0, 0, 0},
	};
	struct opts o = {0};
	int c;
	while ((c = getopt_long(argc, argv, "+o:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.out = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "await") && strcmp(optarg, "jsonl")) {
				fprintf(stderr, "joinrun: -f %s: the formats are await and jsonl\n",
				        optarg);
				usage();
			}
			o.format = optarg;
			break;
		case 'w':
			o.watch = 1;
			break;
		case 's':
			o.summary = 1;
			break;
		case 't':
			o.trace = optarg;
			break;
		case 'p':
			o.plot = optarg;
			break;
		case 'm':
			o.markdown = 1;
			break;
		case 'r':
			o.report = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs("\n", stdout);
			fputs(help_text, stdout);
			return 0;
		case 'V':
			puts("joinrun " JOIN_VERSION);
			return 0;
		default:
			usage();
		}
	}
	if (o.report) {
		/* The logs, and options after them. */
		char **logs = jr_xmalloc((argc + 1) * sizeof *logs);
		int n = 0;
		for (int i = optind; i < argc; i++) {
			const char *a = argv[i];
			if (!strcmp(a, "--markdown"))
				o.markdown = 1;
			else if ((!strcmp(a, "--trace") || !strcmp(a, "--plot")) && i + 1 < argc)
				*(a[2] == 't' ? &o.trace : &o.plot) = argv[++i];
			else if (!strncmp(a, "--trace=", 8))
				o.trace = a + 8;
			else if (!strncmp(a, "--plot=", 7))
				o.plot = a + 7;
			else if (!strcmp(a, "--"))
				continue;
			else if (a[0] == '-' && a[1]) {
				fprintf(stderr, "joinrun: --report: unknown option %s\n", a);
				usage();
			} else
				logs[n++] = argv[i];
		}
		if (o.out || o.format || o.watch || o.summary) {
			fprintf(stderr, "joinrun: --report runs nothing: -o, -f, --watch and "
			                "--summary do not apply\n");
			usage();
		}
		int rc = check_outputs(&o) < 0 ? 2 : report(&o, logs, n);
		free(logs);
		return rc;
	}
	if (optind >= argc) {
		fprintf(stderr, "joinrun: no command to run\n");
		usage();
	}
	char **cmd = argv + optind;
	int analysis = o.summary || o.trace || o.plot;
	if (o.markdown && !o.summary) {
		fprintf(stderr, "joinrun: --markdown needs --summary or --report\n");
		usage();
	}
	if (check_outputs(&o) < 0)
		return 2;
	if (analysis && o.format && !strcmp(o.format, "await")) {
		fprintf(stderr, "joinrun: %s needs -f jsonl\n",
		        o.summary ? "--summary"
		        : o.trace ? "--trace"
		                  : "--plot");
		return 2;
	}

	char tried[2 * PATH_MAX + 32];
	const char *lib = find_lib(tried, sizeof tried);
	if (!lib) {
		fprintf(stderr, "joinrun: cannot find libjoin.so (tried %s)\n", tried);
		return 125;
	}
	if (strpbrk(lib, " :")) {
		fprintf(stderr, "joinrun: %s: LD_PRELOAD cannot name a path with ':' or ' '\n",
		        lib);
		return 125;
	}
	const char *old = getenv("LD_PRELOAD");
	char *preload;
	if (asprintf(&preload, "%s%s%s", lib, old && *old ? ":" : "", old ? old : "") < 0)
		return 125;
	setenv("LD_PRELOAD", preload, 1);
	free(preload);

	char *log = NULL, *tmp = NULL;
	int special = o.out && (!strcmp(o.out, "stderr") || !strcmp(o.out, "off") ||
	                        !strncmp(o.out, "fd:", 3));
	if (special && analysis) {
		fprintf(stderr, "joinrun: %s needs a log file, not -o %s\n",
		        o.summary ? "--summary"
		        : o.trace ? "--trace"
		                  : "--plot",
		        o.out);
		return 2;
	}
	if (special)
		setenv("JOIN_LOG", o.out, 1); /* the library's own destinations, as they are */
	else if (o.out) {
		log = absolute(o.out);
		if (!log) {
			fprintf(stderr, "joinrun: %s: %s\n", o.out, strerror(errno));
			return 125;
		}
	} else if (analysis) {
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
	if (analysis)
		setenv("JOIN_FORMAT", "jsonl", 1);
	else if (o.format)
		setenv("JOIN_FORMAT", o.format, 1);
	if (o.watch)
		setenv("JOIN_WATCH", "1", 1);
	extern char **environ;
	if (jr_check_env(environ) < 0) {
		if (tmp)
			unlink(tmp);
		return 2;
	}
	/* A fresh log for this run: made here, or an empty one; %p logs are the library's. */
	long at = 0; /* where this run's lines begin in an existing log */
	if (o.out && log && !strstr(log, "%p") && jr_check_log(log, &at) < 0)
		return 2;
	jr_note_static(cmd[0]);
	const char *fmt = getenv("JOIN_FORMAT");
	int ours = log && fmt && !strcmp(fmt, "jsonl"); /* write the root's lines */
	jr_collector_begin(o.watch);

	/* Like a shell or time(1): the terminal's ^C and ^\ are for CMD; TERM and
	 * HUP sent to joinrun are passed on, so the outputs are still made. */
	struct sigaction ign = {.sa_handler = SIG_IGN}, fwd = {.sa_handler = forward}, oint, oquit;
	sigemptyset(&fwd.sa_mask);
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	sigaction(SIGTERM, &fwd, NULL);
	sigaction(SIGHUP, &fwd, NULL);

	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		fprintf(stderr, "joinrun: pipe: %s\n", strerror(errno));
		return 125;
	}
	struct timespec start;
	clock_gettime(CLOCK_REALTIME, &start);
	start.tv_sec -= 1; /* file times are coarser than the clock */
	int64_t t_fork = now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "joinrun: fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0) {
		sigaction(SIGINT, &oint, NULL);
		sigaction(SIGQUIT, &oquit, NULL);
		close(pfd[0]);
		execvp(cmd[0], cmd);
		int e = errno;
		if (write(pfd[1], &e, sizeof e) < 0)
			_exit(127);
		_exit(e == ENOENT ? 127 : 126);
	}
	child_pid = pid;
	close(pfd[1]);
	int exec_errno = 0;
	ssize_t got;
	while ((got = read(pfd[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR)
		;
	close(pfd[0]);
	char comm[64];
	read_comm(getpid(), comm, sizeof comm);
	if (ours && got != sizeof exec_errno)
		log_line(log, json_pack("{s:s, s:i, s:s, s:I, s:i, s:s}", "event", "fork", "pid",
		                        (int)getpid(), "comm", comm, "t_ns", (json_int_t)t_fork,
		                        "child", (int)pid, "how", "joinrun"));

	if (got == sizeof exec_errno)
		jr_collector_cancel();
	else
		jr_collector_run(pid);
	siginfo_t si;
	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	int64_t t_exit = now_ns();
	char child_comm[64];
	read_comm(pid, child_comm, sizeof child_comm);
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
		;
	int64_t t_reap = now_ns();
	child_pid = 0;
	int rc = WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 125;

	char *name = strdup(cmd[0]); /* for messages: no escape reaches the terminal */
	if (name)
		jr_sanitise(name);
	if (got == sizeof exec_errno) {
		fprintf(stderr, "joinrun: %s: %s\n", name ? name : "CMD", strerror(exec_errno));
		rc = exec_errno == ENOENT ? 127 : 126;
	} else {
		if (ours) {
			json_t *r = json_pack(
			    "{s:s, s:i, s:s, s:I, s:i, s:s, s:i, s:s, s:b, s:I, s:I, s:I, s:b, "
			    "s:n, "
			    "s:b, s:b}",
			    "event", "reap", "pid", (int)getpid(), "comm", comm, "t_ns",
			    (json_int_t)t_reap, "child", (int)pid, "child_comm", child_comm, "tid",
			    (int)gettid(), "call", "wait4", "core",
			    WIFSIGNALED(st) && WCOREDUMP(st), "user_ms",
			    (json_int_t)ms_of(ru.ru_utime), "sys_ms",
			    (json_int_t)ms_of(ru.ru_stime), "real_ms",
			    (json_int_t)((t_exit - t_fork + 500000) / 1000000), "exact", 0,
			    "late_ms", "tracked", 1, "approx", 0);
#define X(member, ru_member) json_object_set_new(r, #member, json_integer(ru.ru_member));
			if (r) {
				JOIN_RUSAGE_FIELDS(X)
			}
#undef X
			if (r && WIFSIGNALED(st))
				json_object_set_new(r, "signal", json_integer(WTERMSIG(st)));
			else if (r)
				json_object_set_new(r, "code", json_integer(WEXITSTATUS(st)));
			log_line(log, r);
		}
		if (analysis) {
			struct jr_model m;
			jr_model_init(&m, o.out ? o.out : cmd[0]);
			int bad = load(&m, log, &start, at) < 0;
			jr_model_build(&m);
			if (!bad && m.events == 0)
				fprintf(
				    stderr,
				    "joinrun: no events in the log: was libjoin loaded into %s? "
				    "(static programs are not seen)\n",
				    name ? name : "CMD");
			if (!bad && outputs(&m, &o, stderr) < 0 && rc == 0)
				rc = 1;
			if (bad && rc == 0)
				rc = 1;
			jr_model_free(&m);
		}
	}
	if (tmp)
		unlink(tmp);
	free(tmp);
	free(log);
	free(name);
	return rc;
}
