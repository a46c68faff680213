/* SPDX-License-Identifier: MIT */
/*
 * procjoin.c - join_proc_join with real children, linked with -ljoin.
 *
 * `procjoin` runs every check of docs/DESIGN.md, "WASIX proc_join", and prints "ok NAME" / "not ok
 * NAME" (the first failed check follows as a "#" line); exit status 1 if any failed. `procjoin log`
 * joins a known set of children and prints "joined PID" for each, so that a script can count the
 * records in JOIN_LOG.
 */
#include <errno.h>
#include <join.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failed, nfail;
static char why[256];

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c) && !failed++)                                                             \
			snprintf(why, sizeof why, "line %d: %s", __LINE__, #c);                    \
	} while (0)

/* ---- children ---- */

/* In a new child: no inherited pipe ends (they would keep a held child's pipe open), no core. */
static void child_setup(void)
{
	struct rlimit no = {0, 0};
	setrlimit(RLIMIT_CORE, &no);
	close_range(3, ~0u, 0);
}

/* A child that sleeps ms, then exits with code, or dies of signal -code. */
static pid_t kid(int code, int ms)
{
	pid_t p = fork();
	if (p == 0) {
		child_setup();
		if (ms)
			usleep((useconds_t)ms * 1000);
		if (code < 0) {
			signal(-code, SIG_DFL);
			raise(-code);
			pause(); /* a stop signal stops, then a continue returns here */
		}
		_exit(code);
	}
	return p;
}

/* A child blocked reading a pipe whose write end the test holds: provably still running. */
struct held {
	pid_t pid;
	int fd;
};

static struct held hold(int code)
{
	int p[2];
	if (pipe(p) < 0)
		abort();
	pid_t c = fork();
	if (c == 0) {
		dup2(p[0], 0);
		child_setup();
		char b;
		while (read(0, &b, 1) < 0 && errno == EINTR)
			;
		_exit(code);
	}
	close(p[0]);
	return (struct held){c, p[1]};
}

static void let_go(struct held *h)
{
	if (h->fd >= 0) {
		ssize_t n = write(h->fd, "x", 1);
		(void)n;
		close(h->fd);
		h->fd = -1;
	}
}

/* The state letter of /proc/<pid>/stat ('S', 'T', 'Z', ...); 0 if unreadable. */
static char state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	char *rp = strrchr(buf, ')');
	return rp && rp[1] == ' ' ? rp[2] : 0;
}

/* Waits (up to 5 s) until pid is in a state among s (or not, when !in). */
static int await_state(pid_t pid, const char *s, int in)
{
	for (int i = 0; i < 5000; i++) {
		char c = state(pid);
		if (c && (strchr(s, c) != NULL) == in)
			return 1;
		usleep(1000);
	}
	return 0;
}

/* ---- calls ---- */

static join_option_pid_t none(void)
{
	join_option_pid_t o;
	memset(&o, 0, sizeof o);
	return o;
}

static join_option_pid_t some(pid_t p)
{
	join_option_pid_t o = none();
	o.tag = JOIN_PID_SOME;
	o.pid = (uint32_t)p;
	return o;
}

static uint16_t pj(join_option_pid_t *o, join_flags_t f, join_status_t *st)
{
	memset(st, 0xee, sizeof *st);
	return join_proc_join(o, f, st);
}

static int payload_zero(const join_status_t *st, size_t from)
{
	const unsigned char *b = (const unsigned char *)st;
	for (size_t i = from; i < sizeof *st; i++)
		if (b[i])
			return 0;
	return 1;
}

static int is_exit(const join_status_t *st, int code)
{
	return st->tag == JOIN_STATUS_EXIT_NORMAL && st->u.exit_normal.code == code &&
	       payload_zero(st, 4);
}

static int is_signal(const join_status_t *st, int sig)
{
	return st->tag == JOIN_STATUS_EXIT_SIGNAL && st->u.exit_signal.code == 0 &&
	       st->u.exit_signal.signal == sig && payload_zero(st, 5);
}

static int is_stopped(const join_status_t *st, int sig)
{
	return st->tag == JOIN_STATUS_STOPPED && st->u.stopped.signal == sig && payload_zero(st, 3);
}

static int is_nothing(const join_status_t *st)
{
	return st->tag == JOIN_STATUS_NOTHING && payload_zero(st, 1);
}

static int is_some(const join_option_pid_t *o, pid_t p)
{
	return o->tag == JOIN_PID_SOME && o->pid == (uint32_t)p;
}

static int is_none(const join_option_pid_t *o)
{
	static const join_option_pid_t z;
	return memcmp(o, &z, sizeof z) == 0;
}

/* ---- tests ---- */

static void t_no_children(void)
{
	join_status_t st;
	join_option_pid_t o = none();
	CHECK(pj(&o, 0, &st) == JOIN_ECHILD);
	CHECK(is_none(&o) && is_nothing(&st));
	o = none();
	CHECK(pj(&o, JOIN_NON_BLOCKING, &st) == JOIN_ECHILD);
	CHECK(is_none(&o) && is_nothing(&st));
	o = some(getpid());
	CHECK(pj(&o, 0, &st) == JOIN_ECHILD);
	CHECK(is_none(&o) && is_nothing(&st)); /* cleared, as the call clears both first */
}

static void t_inval(void)
{
	join_status_t st;
	join_times_t t;
	join_option_pid_t o;
	pid_t c = kid(5, 0);
	CHECK(await_state(c, "Z", 1)); /* it has exited: a bad call must still reap nothing */
	memset(&st, 0xee, sizeof st);
	CHECK(join_proc_join(NULL, 0, &st) == JOIN_EINVAL);
	CHECK(join_proc_join(NULL, JOIN_NON_BLOCKING, &st) == JOIN_EINVAL);
	CHECK(st.tag == 0xee && st.u.exit_signal.signal == 0xee);
	memset(&o, 0xee, sizeof o);
	o.tag = JOIN_PID_NONE;
	join_option_pid_t keep = o;
	CHECK(join_proc_join(&o, 0, NULL) == JOIN_EINVAL);
	CHECK(memcmp(&o, &keep, sizeof o) == 0);
	for (int tag = 2; tag < 256; tag += 37) {
		memset(&o, 0xee, sizeof o);
		o.tag = (uint8_t)tag;
		keep = o;
		memset(&st, 0xee, sizeof st);
		memset(&t, 0xee, sizeof t);
		join_status_t st0 = st;
		join_times_t t0 = t;
		CHECK(join_proc_join_timed(&o, JOIN_NON_BLOCKING, &st, &t) == JOIN_EINVAL);
		CHECK(join_proc_join(&o, 0, &st) == JOIN_EINVAL);
		CHECK(memcmp(&o, &keep, sizeof o) == 0 && memcmp(&st, &st0, sizeof st) == 0);
		CHECK(memcmp(&t, &t0, sizeof t) == 0);
	}
	CHECK(state(c) == 'Z'); /* still unreaped */
	o = some(c);
	CHECK(pj(&o, 0, &st) == 0 && is_some(&o, c) && is_exit(&st, 5));
}

static void t_not_ours(void)
{
	join_status_t st;
	join_option_pid_t o;
	struct held h = hold(0);
	const uint32_t bad[] = {1,           (uint32_t)getpid(), (uint32_t)getppid(), 0,
	                        0x7fffffffu, 0x80000000u,        0xffffffffu};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		o = some(0);
		o.pid = bad[i];
		CHECK(pj(&o, 0, &st) == JOIN_ECHILD);
		CHECK(is_none(&o) && is_nothing(&st));
		o = some(0);
		o.pid = bad[i];
		CHECK(pj(&o, JOIN_NON_BLOCKING, &st) == JOIN_ECHILD);
	}
	let_go(&h);
	o = some(h.pid);
	CHECK(pj(&o, 0, &st) == 0 && is_exit(&st, 0));
}

static void t_nonblocking(void)
{
	join_status_t st;
	join_option_pid_t o;
	struct held h = hold(7);
	o = none();
	CHECK(pj(&o, JOIN_NON_BLOCKING, &st) == 0);
	CHECK(is_some(&o, 0) && is_nothing(&st));
	o = some(h.pid);
	CHECK(pj(&o, JOIN_NON_BLOCKING, &st) == 0);
	CHECK(is_some(&o, 0) && is_nothing(&st));
	/* Unknown flag bits are ignored: with them, still nonblocking... */
	o = none();
	CHECK(pj(&o, ~(JOIN_WAKE_STOPPED), &st) == 0 && is_some(&o, 0) && is_nothing(&st));
	CHECK(state(h.pid) != 'Z' && state(h.pid) != 0);
	/* ...and a poll of Some(p) did not forget p: an any-child join finds it. */
	let_go(&h);
	o = none();
	CHECK(pj(&o, ~(JOIN_NON_BLOCKING | JOIN_WAKE_STOPPED), &st) == 0);
	CHECK(is_some(&o, h.pid) && is_exit(&st, 7));
	/* An exited child is reported by a nonblocking join. */
	pid_t c = kid(9, 0);
	CHECK(await_state(c, "Z", 1));
	o = none();
	CHECK(pj(&o, JOIN_NON_BLOCKING, &st) == 0 && is_some(&o, c) && is_exit(&st, 9));
}

static void t_codes(void)
{
	static const int codes[] = {0, 1, 42, 128, 200, 255};
	join_status_t st;
	join_option_pid_t o;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		pid_t c = kid(codes[i], 0);
		o = some(c);
		CHECK(pj(&o, 0, &st) == 0 && is_some(&o, c) && is_exit(&st, codes[i]));
		c = kid(codes[i], 0);
		o = none();
		CHECK(pj(&o, 0, &st) == 0 && is_some(&o, c) && is_exit(&st, codes[i]));
	}
}

static void t_signals(void)
{
	static const int sigs[] = {SIGTERM, SIGKILL, SIGSEGV, SIGUSR1, SIGABRT, SIGPIPE, SIGHUP};
	join_status_t st;
	join_option_pid_t o;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		pid_t c = kid(-sigs[i], 0);
		o = some(c);
		CHECK(pj(&o, 0, &st) == 0 && is_some(&o, c) && is_signal(&st, sigs[i]));
		struct held h = hold(0); /* killed from outside while it runs */
		kill(h.pid, sigs[i]);
		o = none();
		CHECK(pj(&o, 0, &st) == 0 && is_some(&o, h.pid) && is_signal(&st, sigs[i]));
		close(h.fd);
	}
}

static void t_stopped(void)
{
	join_status_t st;
	join_option_pid_t o;
	struct held h = hold(3);
	kill(h.pid, SIGSTOP);
	CHECK(await_state(h.pid, "T", 1));
	/* Without JOIN_WAKE_STOPPED a stop is not reported, nor consumed. */
	o = some(h.pid);
	CHECK(pj(&o, JOIN_NON_BLOCKING, &st) == 0 && is_some(&o, 0) && is_nothing(&st));
	o = none();
	CHECK(pj(&o, JOIN_NON_BLOCKING, &st) == 0 && is_some(&o, 0) && is_nothing(&st));
	/* With it: Stopped{SIGSTOP}, not reaped. */
	o = some(h.pid);
	CHECK(pj(&o, JOIN_WAKE_STOPPED | JOIN_NON_BLOCKING, &st) == 0);
	CHECK(is_some(&o, h.pid) && is_stopped(&st, SIGSTOP));
	CHECK(kill(h.pid, 0) == 0 && state(h.pid) == 'T');
	/* Reported once: the stop was consumed. */
	o = none();
	CHECK(pj(&o, JOIN_WAKE_STOPPED | JOIN_NON_BLOCKING, &st) == 0);
	CHECK(is_some(&o, 0) && is_nothing(&st));
	/* A continue is not reported. */
	kill(h.pid, SIGCONT);
	CHECK(await_state(h.pid, "T", 0));
	o = some(h.pid);
	CHECK(pj(&o, JOIN_WAKE_STOPPED | JOIN_NON_BLOCKING, &st) == 0);
	CHECK(is_some(&o, 0) && is_nothing(&st));
	/* A blocking any-child join waits for the next stop, by another signal. */
	kill(h.pid, SIGTSTP);
	o = none();
	CHECK(pj(&o, JOIN_WAKE_STOPPED, &st) == 0 && is_some(&o, h.pid) &&
	      is_stopped(&st, SIGTSTP));
	/* Continued and released, its exit comes next, with the flag or without. */
	kill(h.pid, SIGCONT);
	let_go(&h);
	o = some(h.pid);
	CHECK(pj(&o, JOIN_WAKE_STOPPED, &st) == 0 && is_some(&o, h.pid) && is_exit(&st, 3));
	/* Killed while stopped: a blocking join without the flag sees the death only. */
	struct held k = hold(0);
	kill(k.pid, SIGSTOP);
	CHECK(await_state(k.pid, "T", 1));
	kill(k.pid, SIGKILL);
	o = some(k.pid);
	CHECK(pj(&o, 0, &st) == 0 && is_some(&o, k.pid) && is_signal(&st, SIGKILL));
	close(k.fd);
	/* An unconsumed stop is still there for the program's own waitpid(WUNTRACED). */
	struct held w = hold(4);
	kill(w.pid, SIGSTOP);
	CHECK(await_state(w.pid, "T", 1));
	o = none();
	CHECK(pj(&o, JOIN_NON_BLOCKING, &st) == 0 && is_nothing(&st));
	int ws = 0;
	CHECK(waitpid(w.pid, &ws, WUNTRACED | WNOHANG) == w.pid && WIFSTOPPED(ws));
	kill(w.pid, SIGCONT);
	let_go(&w);
	o = none();
	CHECK(pj(&o, JOIN_WAKE_STOPPED, &st) == 0 && is_some(&o, w.pid) && is_exit(&st, 4));
	/* A child that stops itself, joined with the timed call: Stopped, times zeroed. */
	pid_t s = kid(-SIGSTOP, 0);
	join_times_t t;
	memset(&t, 0xee, sizeof t);
	o = some(s);
	CHECK(join_proc_join_timed(&o, JOIN_WAKE_STOPPED, &st, &t) == 0 &&
	      is_stopped(&st, SIGSTOP));
	CHECK(t.fork_ns == 0 && t.exit_ns == 0 && t.real_ns == 0 && t.exact == 0);
	kill(s, SIGKILL);
	o = some(s);
	CHECK(pj(&o, JOIN_WAKE_STOPPED, &st) == 0 && is_signal(&st, SIGKILL));
}

static volatile sig_atomic_t alarms;

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

/* Interrupting signals every 20 ms, without SA_RESTART: every wait gets EINTR. */
static void ticking(int on)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on ? on_alarm : SIG_DFL;
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, on ? 20000 : 0}, {0, on ? 20000 : 0}};
	setitimer(ITIMER_REAL, &it, NULL);
}

static void t_eintr(void)
{
	join_status_t st;
	join_option_pid_t o;
	pid_t c = kid(17, 300);
	ticking(1);
	alarms = 0;
	o = none();
	uint16_t e = pj(&o, 0, &st);
	int during = alarms;
	CHECK(e == 0 && is_some(&o, c) && is_exit(&st, 17));
	c = kid(-SIGTERM, 300);
	o = some(c);
	e = pj(&o, JOIN_WAKE_STOPPED, &st);
	during += alarms;
	ticking(0);
	CHECK(e == 0 && is_some(&o, c) && is_signal(&st, SIGTERM));
	CHECK(during >= 5); /* the handler really ran during the joins */
}

static int seen_in(const pid_t *v, int n, pid_t p)
{
	for (int i = 0; i < n; i++)
		if (v[i] == p)
			return i;
	return -1;
}

#define MANY 50

static void t_many(void)
{
	pid_t v[MANY];
	int got[MANY] = {0};
	join_status_t st;
	join_option_pid_t o;
	for (int i = 0; i < MANY; i++)
		v[i] = kid(i + 1, (i * 7919) % 40); /* exits in a shuffled order */
	for (int i = 0; i < MANY; i++) {
		o = none();
		CHECK(pj(&o, 0, &st) == 0 && o.tag == JOIN_PID_SOME);
		int k = seen_in(v, MANY, (pid_t)o.pid);
		CHECK(k >= 0 && is_exit(&st, k + 1));
		if (k >= 0)
			got[k]++;
	}
	for (int i = 0; i < MANY; i++)
		CHECK(got[i] == 1);
	o = none();
	CHECK(pj(&o, JOIN_NON_BLOCKING, &st) == JOIN_ECHILD);
	/* Joined one by one, in the reverse of their birth, and by nonblocking polls. */
	for (int i = 0; i < MANY; i++)
		v[i] = kid(i % 3 ? i : -SIGKILL, (i * 31) % 20);
	for (int i = MANY - 1; i >= MANY / 2; i--) {
		o = some(v[i]);
		CHECK(pj(&o, 0, &st) == 0 && is_some(&o, v[i]));
		CHECK(i % 3 ? is_exit(&st, i) : is_signal(&st, SIGKILL));
	}
	int left = MANY / 2, polls = 0;
	while (left > 0 && polls++ < 20000) {
		o = none();
		uint16_t e = pj(&o, JOIN_NON_BLOCKING, &st);
		CHECK(e == 0);
		if (e || o.pid == 0) {
			usleep(500);
			continue;
		}
		int k = seen_in(v, MANY / 2, (pid_t)o.pid);
		CHECK(k >= 0);
		if (k >= 0) {
			CHECK(k % 3 ? is_exit(&st, k) : is_signal(&st, SIGKILL));
			v[k] = 0; /* a second report would miss */
		}
		left--;
	}
	CHECK(left == 0);
}

static void t_mixed(void)
{
	join_status_t st;
	join_option_pid_t o;
	int ws;
	/* The program reaps first: the join finds no such child. */
	pid_t c = kid(1, 0);
	CHECK(waitpid(c, &ws, 0) == c && WEXITSTATUS(ws) == 1);
	o = some(c);
	CHECK(pj(&o, 0, &st) == JOIN_ECHILD);
	o = none();
	CHECK(pj(&o, 0, &st) == JOIN_ECHILD);
	/* The join reaps first: the program's waitpid finds no such child. */
	c = kid(2, 0);
	o = some(c);
	CHECK(pj(&o, 0, &st) == 0 && is_exit(&st, 2));
	errno = 0;
	CHECK(waitpid(c, &ws, 0) == -1 && errno == ECHILD);
	errno = 0;
	CHECK(waitpid(-1, &ws, WNOHANG) == -1 && errno == ECHILD);
	/* Both take turns on any-child waits: each child is reported once, none lost. */
	pid_t v[10];
	int got[10] = {0};
	for (int i = 0; i < 10; i++)
		v[i] = kid(20 + i, i * 3);
	for (int i = 0; i < 10; i++) {
		pid_t p;
		int code;
		if (i % 2) {
			p = waitpid(-1, &ws, 0);
			code = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
		} else {
			o = none();
			CHECK(pj(&o, 0, &st) == 0 && st.tag == JOIN_STATUS_EXIT_NORMAL);
			p = (pid_t)o.pid;
			code = st.u.exit_normal.code;
		}
		int k = seen_in(v, 10, p);
		CHECK(k >= 0 && code == 20 + k);
		if (k >= 0)
			got[k]++;
	}
	for (int i = 0; i < 10; i++)
		CHECK(got[i] == 1);
	CHECK(waitpid(-1, &ws, 0) == -1 && errno == ECHILD);
}

static void *forker(void *arg)
{
	*(pid_t *)arg = kid(33, 50);
	return NULL;
}

static void t_thread_child(void)
{
	pthread_t th;
	pid_t c = 0;
	join_status_t st;
	pthread_create(&th, NULL, forker, &c);
	pthread_join(th, NULL);
	join_option_pid_t o = none();
	CHECK(pj(&o, 0, &st) == 0 && is_some(&o, c) && is_exit(&st, 33));
}

/* SIGCHLD ignored: the kernel reaps; a join waits for the children to end, then ECHILD. */
static void t_sigchld_ignored(void)
{
	join_status_t st;
	signal(SIGCHLD, SIG_IGN);
	pid_t c = kid(0, 100);
	join_option_pid_t o = none();
	CHECK(pj(&o, 0, &st) == JOIN_ECHILD && is_none(&o) && is_nothing(&st));
	CHECK(kill(c, 0) < 0 && errno == ESRCH); /* it ended before the join returned */
	signal(SIGCHLD, SIG_DFL);
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void t_timing(void)
{
	join_status_t st;
	join_times_t t;
	uint64_t before = now_ns();
	pid_t c = kid(0, 200);
	join_option_pid_t o = some(c);
	memset(&t, 0xee, sizeof t);
	CHECK(join_proc_join_timed(&o, 0, &st, &t) == 0 && is_exit(&st, 0));
	uint64_t after = now_ns();
	CHECK(t.real_ns >= 195000000u && t.real_ns < 3000000000u);
	CHECK(t.fork_ns >= before && t.fork_ns <= t.exit_ns && t.exit_ns <= after);
	CHECK(t.real_ns == t.exit_ns - t.fork_ns);
	CHECK(t.exact == 0); /* no JOIN_WATCH: the exit instant is an upper bound */
	CHECK(t.user_ns + t.sys_ns < t.real_ns);
	/* CPU time, not speed: a child that spends 150 ms of CPU shows at least that. */
	c = fork();
	if (c == 0) {
		struct timespec ts;
		do
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
		while (ts.tv_sec == 0 && ts.tv_nsec < 150000000);
		_exit(0);
	}
	o = none();
	CHECK(join_proc_join_timed(&o, 0, &st, &t) == 0 && is_some(&o, c));
	CHECK(t.user_ns + t.sys_ns >= 140000000u && t.user_ns % 1000 == 0);
	CHECK(t.real_ns >= t.user_ns + t.sys_ns - 20000000u);
	/* Nothing joined: times zeroed; t NULL is allowed. */
	struct held h = hold(0);
	memset(&t, 0xee, sizeof t);
	o = none();
	CHECK(join_proc_join_timed(&o, JOIN_NON_BLOCKING, &st, &t) == 0 && is_nothing(&st));
	CHECK(t.fork_ns == 0 && t.exit_ns == 0 && t.real_ns == 0 && t.user_ns == 0);
	let_go(&h);
	o = none();
	CHECK(join_proc_join_timed(&o, 0, &st, NULL) == 0 && is_some(&o, h.pid));
}

static void t_errno_map(void)
{
	CHECK(join_wasi_errno(0) == 0 && join_linux_errno(0) == 0);
	CHECK(join_wasi_errno(ECHILD) == 12 && join_linux_errno(12) == ECHILD);
	CHECK(join_wasi_errno(EINVAL) == 28 && join_linux_errno(28) == EINVAL);
	CHECK(join_wasi_errno(EINTR) == 27 && join_linux_errno(27) == EINTR);
	CHECK(join_wasi_errno(EFAULT) == 78 && join_linux_errno(78) == EFAULT);
}

/* Leaves no child behind: one left over is a child lost by the test or the library. */
static void sweep(void)
{
	join_status_t st;
	join_option_pid_t o = none();
	uint16_t e = join_proc_join(&o, JOIN_NON_BLOCKING, &st);
	if (e == JOIN_ECHILD)
		return;
	CHECK(!"a child was left over");
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/* A join that blocks when it should not would hang the test: name it and stop. */
static const char *volatile current;
static volatile int generation;

static void *watchdog(void *arg)
{
	(void)arg;
	for (;;) {
		int g = generation;
		sleep(20);
		if (g == generation && current) {
			printf("not ok %s\n#   timed out: a join blocked\n", current);
			fflush(stdout);
			_exit(2);
		}
	}
	return NULL;
}

static void run(const char *name, void (*fn)(void))
{
	failed = 0;
	current = name;
	generation++;
	fn();
	sweep();
	printf("%s %s\n", failed ? "not ok" : "ok", name);
	if (failed)
		printf("#   %s (%d failed checks)\n", why, failed);
	fflush(stdout);
	nfail += failed != 0;
}

/* For the log check: joins children in every way and names each joined one. */
static int log_mode(void)
{
	join_status_t st;
	join_option_pid_t o;
	pid_t a = kid(0, 0), b = kid(3, 20), c = kid(-SIGTERM, 0);
	struct held h = hold(6);
	kill(h.pid, SIGSTOP);
	await_state(h.pid, "T", 1);
	o = some(h.pid);
	join_proc_join(&o, JOIN_WAKE_STOPPED, &st); /* a stop: no record */
	kill(h.pid, SIGCONT);
	let_go(&h);
	pid_t w = kid(8, 0); /* reaped by the program itself */
	waitpid(w, NULL, 0);
	printf("waited %d\n", (int)w);
	o = some(a);
	join_proc_join(&o, 0, &st);
	printf("joined %d\n", (int)a);
	for (int i = 0; i < 3; i++) {
		o = none();
		while (join_proc_join(&o, JOIN_NON_BLOCKING, &st) == 0 && o.pid == 0) {
			usleep(1000);
			o = none();
		}
		printf("joined %u\n", o.pid);
	}
	o = none();
	printf("last %u\n", join_proc_join(&o, 0, &st));
	(void)b, (void)c;
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "log") == 0)
		return log_mode();
	pthread_t dog;
	pthread_create(&dog, NULL, watchdog, NULL);
	run("proc_join-no-children", t_no_children);
	run("proc_join-inval-writes-nothing", t_inval);
	run("proc_join-not-our-child", t_not_ours);
	run("proc_join-nonblocking-live-child", t_nonblocking);
	run("proc_join-exit-codes", t_codes);
	run("proc_join-signals", t_signals);
	run("proc_join-stopped-continued", t_stopped);
	run("proc_join-eintr-resumes", t_eintr);
	run("proc_join-many-none-lost", t_many);
	run("proc_join-mixed-with-waitpid", t_mixed);
	run("proc_join-child-of-a-thread", t_thread_child);
	run("proc_join-sigchld-ignored", t_sigchld_ignored);
	run("proc_join-timing", t_timing);
	run("proc_join-errno-map", t_errno_map);
	return nfail != 0;
}
