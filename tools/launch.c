/* SPDX-License-Identifier: MIT */
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
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "collector/collect.h"
#include "collector/opaque.h"
#include "log/pathpid.h"
#include "base/record.h"
#include "base/proc.h"
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

static char *preload_before; /* LD_PRELOAD as joinrun found it, NULL if unset */

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
	preload_before = old ? strdup(old) : NULL;
	char *preload;
	if (asprintf(&preload, "%s%s%s", lib, old && *old ? ":" : "", old ? old : "") < 0)
		return -1;
	setenv("LD_PRELOAD", preload, 1);
	free(preload);
	return 0;
}

int jr_prepare(const char *cmd)
{
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "joinrun: fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0) { /* as joinrun found its environment: no libjoin, no log of ours */
		if (preload_before)
			setenv("LD_PRELOAD", preload_before, 1);
		else
			unsetenv("LD_PRELOAD");
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(125);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 125;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
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

/* Would n more bytes cross our RLIMIT_FSIZE?  (SIGXFSZ is ignored here: the write
 * would be cut, and the log's last line with it.) */
static int too_big(int fd, size_t n)
{
	struct rlimit rl;
	struct stat st;
	if (getrlimit(RLIMIT_FSIZE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	return (rlim_t)st.st_size + n > rl.rlim_cur;
}

/* One line of our own into the log, as libjoin writes its own: one write on an
 * O_APPEND descriptor.  A line that cannot be written is a record lost. */
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
	int fd = open(p, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0666);
	size_t n = strlen(s);
	s[n] = '\n';
	if (fd < 0)
		jr_lost_add(1, errno);
	else if (too_big(fd, n + 1))
		jr_lost_add(1, EFBIG);
	else if (write(fd, s, n + 1) != (ssize_t)(n + 1))
		jr_lost_add(1, errno);
	if (fd >= 0)
		close(fd);
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

/* The root's environment (--propagate): ours with TRACEPARENT naming the root's
 * span, the span that the exporter derives from the same fork instant.  Made here,
 * before the vfork: the child only execs.  NULL when there is nothing to add. */
static char **root_env(int64_t t_fork)
{
	static char var[sizeof "TRACEPARENT=" + JOIN_TRACEPARENT_LEN];
	const struct jr_launch_trace *l = jr_launch_trace;
	if (!l || !l->propagate)
		return NULL;
	struct join_tracectx c = l->trace;
	c.span = join_span_of(l->trace.trace, l->parent, (uint64_t)t_fork);
	memcpy(var, "TRACEPARENT=", 12);
	join_traceparent_format(var + 12, &c);
	size_t n = 0;
	while (environ[n])
		n++;
	char **env = malloc((n + 2) * sizeof *env);
	if (!env)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "TRACEPARENT=", 12))
			env[k++] = environ[i];
	env[k++] = var;
	env[k] = NULL;
	return env;
}

static json_int_t us_of(struct timeval tv)
{
	return (json_int_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* A number, or null when unknown. */
static json_t *maybe(int known, json_int_t v)
{
	return known ? json_integer(v) : json_null();
}

/* The root's own CPU and peak: its rusage less what its reaps (seen by the collector)
 * brought in; unknown without a collector or for an image libjoin could not follow. */
static void own_fields(json_t *r, const struct rusage *ru, const struct join_collect_stats *c,
                       int collected)
{
	json_int_t u = us_of(ru->ru_utime), s = us_of(ru->ru_stime);
	int known = collected && !c->root_opaque;
	json_int_t au = (json_int_t)c->root_acc_user_us, as = (json_int_t)c->root_acc_sys_us;
	json_object_set_new(r, "self_user_us", maybe(known, u > au ? u - au : 0));
	json_object_set_new(r, "self_sys_us", maybe(known, s > as ? s - as : 0));
	json_object_set_new(r, "self_maxrss_kb",
	                    maybe(known && ru->ru_maxrss > c->root_acc_rss, ru->ru_maxrss));
	const char *why = join_opaque_name(c->root_opaque);
	json_object_set_new(r, "opaque", why ? json_string(why) : json_null());
}

/* The root's reap as libjoin would write it: real from the fork to its exit. */
static void reap_line(const char *log, const char *comm, pid_t pid, const char *child_comm, int st,
                      const struct rusage *ru, int64_t t_fork, int64_t t_exit, int64_t t_reap,
                      const struct join_collect_stats *c, int collected)
{
	json_t *r = json_pack(
	    "{s:s, s:i, s:s, s:I, s:i, s:s, s:i, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, "
	    "s:b, s:n, s:b, s:b, s:b, s:n, s:n}",
	    "event", "reap", "pid", (int)getpid(), "comm", comm, "t_ns", (json_int_t)t_reap,
	    "child", (int)pid, "child_comm", child_comm, "tid", (int)gettid(), "call", "wait4",
	    "core", WIFSIGNALED(st) && WCOREDUMP(st), "user_us", us_of(ru->ru_utime), "sys_us",
	    us_of(ru->ru_stime), "real_ns", (json_int_t)(t_exit - t_fork), "user_ms",
	    (json_int_t)ms_of(ru->ru_utime), "sys_ms", (json_int_t)ms_of(ru->ru_stime), "real_ms",
	    (json_int_t)((t_exit - t_fork + 500000) / 1000000), "exact", 0, "late_ms", "tracked", 1,
	    "approx", 0, "orphan", 0, "parent", "orphaned_ns");
	if (!r)
		return;
	own_fields(r, ru, c, collected);
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

/* The signals joinrun handles its own way, and how it received them: CMD gets them
 * back exactly so (an ignored SIGHUP under nohup, SIGPIPE ignored by a parent). */
static const int our_sigs[] = {SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ};
#define NSIGS (int)(sizeof our_sigs / sizeof *our_sigs)
static struct sigaction received[NSIGS];
static sigset_t received_mask;

/* Like a shell or time(1): the terminal's ^C and ^\ are for CMD; TERM and HUP sent
 * to joinrun are passed on (unless it was started with them ignored), so the outputs
 * are still made; a full or limited log never kills joinrun (SIGPIPE, SIGXFSZ). */
static void take_signals(void)
{
	static int taken; /* --repeat: received once, before the first run */
	struct sigaction ign = {.sa_handler = SIG_IGN}, fwd = {.sa_handler = forward};
	sigemptyset(&fwd.sa_mask);
	if (!taken)
		sigprocmask(SIG_SETMASK, NULL, &received_mask);
	for (int i = 0; i < NSIGS; i++) {
		int s = our_sigs[i];
		if (!taken)
			sigaction(s, NULL, &received[i]);
		if (s == SIGTERM || s == SIGHUP)
			sigaction(s, received[i].sa_handler == SIG_IGN ? &ign : &fwd, NULL);
		else
			sigaction(s, &ign, NULL);
	}
	taken = 1;
}

static void give_back_signals(int all)
{
	for (int i = 0; i < NSIGS; i++)
		if (all || our_sigs[i] == SIGINT || our_sigs[i] == SIGQUIT)
			sigaction(our_sigs[i], &received[i], NULL);
	if (all)
		sigprocmask(SIG_SETMASK, &received_mask, NULL);
}

/* The child of vfork: CMD, or the errno of its exec through the pipe.  It shares
 * our memory until its exec, so it only restores what CMD must receive (every
 * signal still blocked, as vfork left it) and execs. */
static void child(char **cmd, int pfd[2], char **env)
{
	give_back_signals(1);
	close(pfd[0]);
	execvpe(cmd[0], cmd, env);
	int e = errno;
	if (write(pfd[1], &e, sizeof e) < 0)
		_exit(127);
	_exit(e == ENOENT ? 127 : 126);
}

/* vfork: no copy of our page tables and no copy-on-write faults after it, for a
 * child that only execs (about a tenth of joinrun's own start).  No handler of
 * ours may run in it: every signal is blocked until it has the dispositions CMD
 * gets.  Apart, so that no variable of the caller lives across the vfork. */
__attribute__((noinline)) static pid_t launch(char **cmd, int pfd[2], char **env)
{
	sigset_t all, was;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &was);
	pid_t pid = vfork();
	if (pid == 0)
		child(cmd, pfd, env);
	int e = errno;
	sigprocmask(SIG_SETMASK, &was, NULL);
	errno = e;
	return pid;
}

/* The processes of the tree still running (our children and theirs), as a report
 * line in the log and a word on stderr: joinrun waits for none of them unless
 * --wait-all, as make does. */
static void still_running(const char *log, int ours, const char *comm)
{
	struct jr_live *v;
	int n = jr_descendants(getpid(), &v);
	if (n <= 0)
		return;
	/* A background job is often between its fork and its exec when the shell that
	 * made it exits: a moment later it has the name it runs under. */
	free(v);
	struct timespec settle = {0, 50 * 1000 * 1000};
	nanosleep(&settle, NULL);
	if ((n = jr_descendants(getpid(), &v)) <= 0) {
		free(v);
		return;
	}
	int64_t now = now_ns();
	fprintf(stderr, "joinrun: %d process%s of the tree still running after CMD exited:", n,
	        n == 1 ? "" : "es");
	json_t *list = json_array();
	for (int i = 0; i < n; i++) {
		int64_t age = v[i].start_ns ? (now - v[i].start_ns) / 1000000 : -1;
		fprintf(stderr, "%s %d %s", i ? "," : "", v[i].pid, v[i].comm);
		if (age >= 0)
			fprintf(stderr, " (%.1f s)", age / 1e3);
		json_array_append_new(list,
		                      json_pack("{s:i, s:s, s:o}", "child", v[i].pid, "child_comm",
		                                v[i].comm, "age_ms", maybe(age >= 0, age)));
	}
	fputc('\n', stderr);
	free(v);
	if (!ours) {
		json_decref(list);
		return;
	}
	log_line(log, json_pack("{s:s, s:i, s:s, s:I, s:o, s:[]}", "event", "report", "pid",
	                        (int)getpid(), "comm", comm, "t_ns", (json_int_t)now, "running",
	                        list, "zombies"));
}

/* The tree's accounting, said once at the end: orphans, blind spots. */
static void accounting_note(const struct join_collect_stats *c)
{
	if (c->orphans)
		fprintf(stderr, "joinrun: %llu orphan%s reaped (their parent had exited)\n",
		        (unsigned long long)c->orphans, c->orphans == 1 ? "" : "s");
	char buf[256];
	if (jr_opaque_text(buf, sizeof buf, c->opaque))
		fprintf(stderr, "joinrun: %s\n", buf);
}

/* With --wait-all and no collector: the tree's stragglers, waited for, unrecorded. */
static void wait_all(void)
{
	while (wait4(-1, NULL, 0, NULL) > 0 || errno == EINTR)
		;
}

int jr_run(char **cmd, const char *log, int ours, const struct jr_opts *o, int *ran)
{
	*ran = 0;
	int watch = o->watch;
	take_signals(); /* first: a ring file made under a file-size limit is one write */
	/* Orphans of the tree come to us, not to init: reaped and recorded (collect.c). */
	int subreaper = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
	jr_collector_begin(watch);
	uint8_t root_image = (uint8_t)join_image_judge(getpid(), cmd[0]);
	int pfd[2];
	if (pipe2(pfd, O_CLOEXEC) < 0) {
		fprintf(stderr, "joinrun: pipe: %s\n", strerror(errno));
		return 125;
	}
	int64_t t_fork = now_ns();
	char **env = root_env(t_fork);
	pid_t pid = launch(cmd, pfd, env ? env : environ);
	int fork_errno = errno;
	free(env);
	if (pid < 0) {
		fprintf(stderr, "joinrun: fork: %s\n", strerror(fork_errno));
		return 125;
	}
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
	struct join_collect_stats cs;
	memset(&cs, 0, sizeof cs);
	int collected = 0;
	if (failed)
		jr_collector_cancel();
	else
		collected = jr_collector_run(pid, subreaper, o->wait_all, &cs);
	if (!cs.root_opaque)
		cs.root_opaque = root_image;
	siginfo_t si;
	while (waitid(P_PID, pid, &si, WEXITED | WNOWAIT) < 0 && errno == EINTR)
		;
	int64_t t_exit = cs.root_exit_ns ? (int64_t)cs.root_exit_ns : now_ns();
	join_proc_comm(pid, child_comm);
	int st = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &st, 0, &ru) < 0 && errno == EINTR)
		;
	int64_t t_reap = now_ns();
	child_pid = 0;
	give_back_signals(0); /* SIGPIPE and SIGXFSZ stay ignored: the log's last lines */
	if (failed) {
		char *name = strdup(cmd[0]); /* for messages: no escape reaches the terminal */
		if (name)
			jr_sanitise(name);
		fprintf(stderr, "joinrun: %s: %s\n", name ? name : "CMD", strerror(exec_errno));
		free(name);
		return exec_errno == ENOENT ? 127 : 126;
	}
	if (ours)
		reap_line(log, comm, pid, child_comm, st, &ru, t_fork, t_exit, t_reap, &cs,
		          collected);
	if (subreaper && o->wait_all)
		wait_all();
	else if (subreaper)
		still_running(log, ours, comm);
	if (cs.root_opaque && cs.root_opaque < 4)
		cs.opaque[cs.root_opaque]++;
	accounting_note(&cs);
	/* The command's status is ours, whatever the stragglers do. */
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? 128 + WTERMSIG(st) : 125;
}
