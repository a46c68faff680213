/*
 * launch.c - running CMD: libjoin preloaded, the JOIN_* variables set and
 * checked, joinrun the collector of the tree, and joinrun's own fork and reap
 * lines about the root (the log's first and last word about CMD).
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pathpid.h"
#include "proc.h"
#include "tools.h"

#ifndef JOIN_LIBDIR
#define JOIN_LIBDIR "/usr/local/lib"
#endif

extern char **environ;

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

int jr_preload(void)
{
	char tried[2 * PATH_MAX + 32];
	const char *lib = find_lib(tried, sizeof tried);
	if (!lib) {
		fprintf(stderr, "joinrun: cannot find libjoin.so (tried %s)\n", tried);
		return -1;
	}
	if (strpbrk(lib, " :")) {
		fprintf(stderr, "joinrun: %s: LD_PRELOAD cannot name a path with ':' or ' '\n",
		        lib);
		return -1;
	}
	const char *old = getenv("LD_PRELOAD");
	char *preload;
	if (asprintf(&preload, "%s%s%s", lib, old && *old ? ":" : "", old ? old : "") < 0)
		return -1;
	setenv("LD_PRELOAD", preload, 1);
	free(preload);
	return 0;
}

char *jr_absolute(const char *path)
{
	if (path[0] == '/')
		return strdup(path);
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof cwd))
		return NULL;
	char *s;
	return asprintf(&s, "%s/%s", cwd, path) < 0 ? NULL : s;
}

char *jr_path_pid(const char *path, const char *rep, int glob)
{
	size_t cap = 2 * strlen(path) + 16 * strlen(rep) + 32;
	char *s = jr_xmalloc(cap);
	while (join_path_pid(s, cap, path, rep, glob) < 0)
		s = jr_xrealloc(s, cap *= 2);
	return s;
}

/* One line of our own into the log, as libjoin writes its own: one write on an
 * O_APPEND descriptor. */
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
	char *p = jr_path_pid(path, pid, 0);
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

const struct jr_launch_trace *jr_launch_trace;

/* The run's trace, in joinrun's fork line: --report LOG --otlp sends the same ids. */
static void trace_fields(json_t *o, int64_t t)
{
	char hex[33];
	const struct jr_launch_trace *l = jr_launch_trace;
	if (!o || !l)
		return;
	join_hex(hex, l->trace.trace, 16);
	hex[32] = 0;
	json_object_set_new(o, "trace_id", json_string(hex));
	if (l->parent) {
		uint8_t b[8];
		for (int i = 0; i < 8; i++)
			b[i] = (uint8_t)(l->parent >> (56 - 8 * i));
		join_hex(hex, b, 8);
		hex[16] = 0;
		json_object_set_new(o, "parent_span_id", json_string(hex));
	}
	json_object_set_new(o, "unix_ns", json_integer(t + l->mono_to_unix));
}

static void fork_line(const char *log, int64_t t, pid_t pid, const char *comm)
{
	json_t *o =
	    json_pack("{s:s, s:i, s:s, s:I, s:i, s:s}", "event", "fork", "pid", (int)getpid(),
	              "comm", comm, "t_ns", (json_int_t)t, "child", (int)pid, "how", "joinrun");
	trace_fields(o, t);
	log_line(log, o);
}

/* In the root before its exec (--propagate): TRACEPARENT naming the root's span, the
 * span that the exporter derives from the same fork instant. */
static void root_traceparent(int64_t t_fork)
{
	const struct jr_launch_trace *l = jr_launch_trace;
	if (!l || !l->propagate)
		return;
	struct join_tracectx c = l->trace;
	char tp[JOIN_TRACEPARENT_LEN + 1];
	c.span = join_span_of(l->trace.trace, l->parent, (uint64_t)t_fork);
	join_traceparent_format(tp, &c);
	setenv("TRACEPARENT", tp, 1);
}

/* The root's reap as libjoin would write it: real from the fork to its exit. */
static void reap_line(const char *log, const char *comm, pid_t pid, const char *child_comm, int st,
                      const struct rusage *ru, int64_t t_fork, int64_t t_exit, int64_t t_reap)
{
	json_t *r = json_pack(
	    "{s:s, s:i, s:s, s:I, s:i, s:s, s:i, s:s, s:b, s:I, s:I, s:I, s:b, s:n, s:b, s:b}",
	    "event", "reap", "pid", (int)getpid(), "comm", comm, "t_ns", (json_int_t)t_reap,
	    "child", (int)pid, "child_comm", child_comm, "tid", (int)gettid(), "call", "wait4",
	    "core", WIFSIGNALED(st) && WCOREDUMP(st), "user_ms", (json_int_t)ms_of(ru->ru_utime),
	    "sys_ms", (json_int_t)ms_of(ru->ru_stime), "real_ms",
	    (json_int_t)((t_exit - t_fork + 500000) / 1000000), "exact", 0, "late_ms", "tracked", 1,
	    "approx", 0);
	if (!r)
		return;
#define X(member, ru_member) json_object_set_new(r, #member, json_integer(ru->ru_member));
	JOIN_RUSAGE_FIELDS(X)
#undef X
	if (WIFSIGNALED(st))
		json_object_set_new(r, "signal", json_integer(WTERMSIG(st)));
	else
		json_object_set_new(r, "code", json_integer(WEXITSTATUS(st)));
	log_line(log, r);
}

static volatile sig_atomic_t child_pid;
static void forward(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

/* The child: CMD, or the errno of its exec through the pipe. */
static void child(char **cmd, int pfd[2], const struct sigaction *oint,
                  const struct sigaction *oquit, int64_t t_fork)
{
	root_traceparent(t_fork);
	sigaction(SIGINT, oint, NULL);
	sigaction(SIGQUIT, oquit, NULL);
	close(pfd[0]);
	execvp(cmd[0], cmd);
	int e = errno;
	if (write(pfd[1], &e, sizeof e) < 0)
		_exit(127);
	_exit(e == ENOENT ? 127 : 126);
}

int jr_run(char **cmd, const char *log, int ours, int watch, int *ran)
{
	*ran = 0;
	jr_collector_begin(watch);
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
	int64_t t_fork = now_ns();
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "joinrun: fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0)
		child(cmd, pfd, &oint, &oquit, t_fork);
	child_pid = pid;
	close(pfd[1]);
	int exec_errno = 0;
	ssize_t got;
	while ((got = read(pfd[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR)
		;
	close(pfd[0]);
	int failed = got == sizeof exec_errno;
	*ran = !failed;
	char comm[16], child_comm[16];
	join_proc_comm(getpid(), comm);
	if (ours && !failed)
		fork_line(log, t_fork, pid, comm);
	if (failed)
		jr_collector_cancel();
	else
		jr_collector_run(pid);
	siginfo_t si;
	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	int64_t t_exit = now_ns();
	join_proc_comm(pid, child_comm);
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
		;
	int64_t t_reap = now_ns();
	child_pid = 0;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	if (failed) {
		char *name = strdup(cmd[0]); /* for messages: no escape reaches the terminal */
		if (name)
			jr_sanitise(name);
		fprintf(stderr, "joinrun: %s: %s\n", name ? name : "CMD", strerror(exec_errno));
		free(name);
		return exec_errno == ENOENT ? 127 : 126;
	}
	if (ours)
		reap_line(log, comm, pid, child_comm, st, &ru, t_fork, t_exit, t_reap);
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 125;
}
