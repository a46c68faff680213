/*
 * watcher.c - watch mode's threads: exact exit instants and live zombie warnings.
 *
 * Two threads, started at the process's first tracked child, with every signal
 * blocked (glibc keeps its own setxid and cancel signals open, so setuid() in a
 * threaded program still works):
 *  - the opener sleeps on the ring's futex, opens a pidfd for each new child
 *    and adds it to an epoll set (one-shot);
 *  - the watcher waits on the epoll set: a readable pidfd is an exit.  It takes
 *    the instant (CLOCK_MONOTONIC) at once and records it in the table (the
 *    reap record then says exact, with late_ms), peeks at the status with
 *    waitid(P_PIDFD, WNOWAIT) without reaping, and writes the JSONL exit
 *    event.  A program blocked in a wait wakes at the same instant and may
 *    settle its record first: that child's timing is then the reap's, which
 *    for a program that was waiting is the exit to within its wake-up.
 *    The watcher then polls each exited child with backoff (2 ms to 1 s)
 *    until the program reaps it (waitid says ECHILD), closing its pidfd, and
 *    at JOIN_ZOMBIE_MS unreaped writes one zombie event or "# libjoin:" line,
 *    with the comm read while it is a zombie.
 *
 * Descriptors.  Watch mode holds descriptors (SPEC §5): one pidfd per child
 * not yet reaped (at most 1024 at once, and never within RESERVE of
 * RLIMIT_NOFILE; beyond that, children get reap-time timing), an epoll
 * descriptor, a pidfd of this process, and dups of the epoll descriptor that
 * keep numbers 0-2 and the log's fd:N reserved.  They all live in a
 * descriptor table of the threads' own: the watcher's first act is
 * close_range(0, ~0U, CLOSE_RANGE_UNSHARE), which gives it an empty table
 * without copying (so without holding) any descriptor of the program's.
 * Hence the program never sees one of ours in /proc/self/fd (the table of
 * the main thread), its next open gets the number it gets without libjoin,
 * closefrom() cannot close ours nor make us write into a file of its own, our
 * numbers never count against its RLIMIT_NOFILE room, and a forked child
 * inherits none of them (fork copies the forking thread's table).  Nothing is
 * taken in the program's table even for an instant: the pidfd is opened by
 * the opener, in our table, not by the forking thread.  The price: a pidfd
 * may be opened after a very short-lived child has exited; its exit instant
 * is then the moment the pidfd was added, exact to the millisecond if that
 * is within 1 ms of the fork, else only a bound (the exit event says exact
 * false and the reap record keeps the reap time).  A child reaped (and its
 * pid reused) before the opener gets to it fails the waitid check and is not
 * watched.
 *
 * Writing the log from our table: a path is opened and closed per record, as
 * in every thread.  For stderr or fd:N ("that descriptor as it is") the
 * watcher borrows the program's descriptor for the one write with
 * pidfd_getfd() on its own process, puts it at the same number in our table,
 * and puts the placeholder back after: no descriptor of the program's is held
 * between records (a pipe the program closes sees its EOF).
 *
 * glibc counts our threads among the process's: when the program's last
 * thread ends by pthread_exit, glibc does not call exit(0), so the watcher
 * does (quit(), within a second).
 *
 * Limits, for the documentation: the process becomes multithreaded at its
 * first child (unshare(CLONE_NEWUSER) then fails with EINVAL; two threads
 * count against RLIMIT_NPROC; glibc's fork takes its multithreaded path: on a
 * fork loop an idle thread alone costs 1.23-1.26x an empty preload, watch
 * mode 1.77x, the rest being the two wake-ups per child, the opener's and the
 * watcher's); a seccomp filter that kills on pidfd_open,
 * close_range or epoll kills the process; the JSONL "comm" of our events is
 * the name of the thread that made the first child, as it was then.
 */
#include "clock.h"
#include "config.h"
#include "emit.h"
#include "proc.h"
#include "reap.h"
#include "table.h"
#include "watcher.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/close_range.h>
#include <pthread.h>
#include <signal.h>
#include <limits.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"

/* Both stacks hold glibc's static TLS as well (900 KB of it under TSan); pages never
 * touched cost nothing.  The watcher may be the thread that runs exit(), see quit(). */
#define STACK    (1 << 20) /* the opener: small frames, no recursion */
#define BIGSTACK (1 << 20) /* the watcher */
#define MAXW     1024      /* children watched at once */
#define LOOK_MS  1000      /* between looks at the main thread, see quit() */
#define LONELY   100       /* ms between looks at the other threads once it has ended */
#define FIRST_MS 2         /* first look for the reap after an exit */
#define LAST_MS  1000      /* then doubling up to this */
#define RESERVE  4         /* free numbers kept in our table for writing the log */
#define MS       1000000ull

enum { S_FREE, S_CLAIMED, S_LIVE, S_DEAD, S_EXITED, S_WARNED };

/* S_LIVE: armed in epoll.  S_DEAD: exited, but its status not yet waitable (a
 * tracer holds it): polled.  S_EXITED: exit recorded, zombie deadline pending.  S_WARNED:
 * zombie event written.  The opener owns FREE->CLAIMED->LIVE, the watcher the rest. */
struct watched {
	int state;
	int fd;
	pid_t pid;
	uint8_t exact;
	uint32_t backoff_ms;
	uint64_t exit_ns, next_ns;
};

/* What the threads write, and their stacks, in one mapping of our own made
 * wipe-on-fork: otherwise, after each fork of the program, the parent takes a
 * copy-on-write fault for every page of it that a thread writes again (four or
 * five a cycle on a fork loop), and the child copies pages it has no use for. */
struct watch_mem {
	struct watched slot[MAXW];
	unsigned used; /* slots [0, used) have been claimed at some time */
	int ep;        /* the epoll set, also the placeholder of reserved numbers */
	int selfpidfd; /* our process: to borrow the program's log descriptor */
	int quitting;
	pid_t opener_tid;
	uint64_t sweep_at; /* the watcher's next poll of exited children; 0: none */
	uint64_t look_at;  /* next look at the program's threads */
	pthread_t opener_thread;
	pthread_mutex_t emit_mu;
};

#define PAGE      4096
#define MEM_PAGES ((sizeof(struct watch_mem) + PAGE - 1) / PAGE * PAGE)
/* [guard][opener's stack][guard][watcher's stack][struct watch_mem] */
#define OPENER_AT  PAGE
#define WATCHER_AT (PAGE + STACK + PAGE)
#define MEM_AT     (WATCHER_AT + BIGSTACK)
#define MAP_BYTES  (MEM_AT + MEM_PAGES)

/* Kept in a forked child, which reuses the mapping (zeroed there) for its own threads. */
static char *map;
static struct watch_mem *W;
static int warned; /* bit per kind of warning: one each per process */

static void warn(int bit, const char *what, int err);

/* ---- our descriptor table ---- */

static int pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

/* Puts the program's descriptor n at number n of our table (replacing the
 * placeholder) for one write. */
static int borrow(int n)
{
	int fd = (int)syscall(SYS_pidfd_getfd, W->selfpidfd, n, 0);
	if (fd < 0)
		return -1; /* the program has no descriptor n now: its own write would fail too */
	int r = fd == n ? 0 : dup3(fd, n, O_CLOEXEC);
	if (fd != n)
		close(fd);
	return r < 0 ? -1 : 0;
}

static void give_back(int n)
{
	dup3(W->ep, n, O_CLOEXEC); /* drops our reference to the program's file */
}

/* Our table: empty, then placeholders (dups of the epoll set) on the numbers that
 * log writes use (0-2 and fd:N), so that no pidfd takes them; the set itself above. */
static int own_table(void)
{
	if (syscall(SYS_close_range, 0u, ~0u, CLOSE_RANGE_UNSHARE) < 0)
		return -1;
	int e = epoll_create1(EPOLL_CLOEXEC); /* 0: the table is empty */
	if (e != 0)
		return -1;
	if (dup3(e, 1, O_CLOEXEC) < 0 || dup3(e, 2, O_CLOEXEC) < 0)
		return -1;
	if (join_cfg.log_kind == JOIN_LOG_FD && join_cfg.log_fd > 2 &&
	    dup3(e, join_cfg.log_fd, O_CLOEXEC) < 0)
		return -1;
	W->ep = fcntl(e, F_DUPFD_CLOEXEC, 3);
	if (W->ep < 0)
		return -1;
	W->selfpidfd = pidfd_open(getpid());
	return 0;
}

/* ---- writing ---- */

/* Runs fn with the log reachable from our table; warnings borrow stderr too. */
static void with_log(void (*fn)(const void *), const void *arg, int stderr_too)
{
	int n = join_cfg.log_kind == JOIN_LOG_FD ? join_cfg.log_fd : -1;
	pthread_mutex_lock(&W->emit_mu);
	int a = n >= 0 ? borrow(n) : 0;
	int b = stderr_too && n != 2 ? borrow(2) : -1;
	if (a == 0)
		fn(arg);
	if (n >= 0)
		give_back(n);
	if (b == 0)
		give_back(2);
	pthread_mutex_unlock(&W->emit_mu);
}

static void write_exit(const void *r)
{
	join_emit_exit(r);
}

static void emit_exit(const struct watched *s, int status)
{
	struct join_rec r;
	if (join_cfg.format != JOIN_FORMAT_JSONL || join_cfg.log_kind == JOIN_LOG_OFF)
		return; /* the await stream has no exit records */
	memset(&r, 0, sizeof r);
	r.pid = s->pid;
	r.status = status;
	r.exit_ns = s->exit_ns;
	r.has_exit = 1;
	r.exact = s->exact;
	with_log(write_exit, &r, 0);
}

struct zombie {
	pid_t pid;
	char comm[JOIN_COMM_MAX];
	uint64_t age_ms;
};

static void write_zombie(const void *p)
{
	const struct zombie *z = p;
	join_emit_zombie(z->pid, z->comm, z->age_ms);
}

struct warning {
	char line[256];
	size_t len;
};

static void write_warning(const void *p)
{
	const struct warning *w = p;
	join_log_warn(w->line, w->len);
}

static size_t add(char *b, size_t n, size_t cap, const char *s)
{
	size_t k = strlen(s);
	if (n + k > cap)
		k = cap - n;
	memcpy(b + n, s, k);
	return n + k;
}

/* "# libjoin: JOIN_WATCH=1: <what>[: <error>]; <children> get reap-time (inexact) exit times" */
static void warn(int bit, const char *what, int err)
{
	struct warning w;
	size_t cap = sizeof w.line - 1;
	if (__atomic_fetch_or(&warned, 1 << bit, __ATOMIC_RELAXED) & (1 << bit))
		return;
	w.len = add(w.line, 0, cap, "# libjoin: JOIN_WATCH=1: ");
	w.len = add(w.line, w.len, cap, what);
	if (err) {
		w.len = add(w.line, w.len, cap, ": ");
		w.len = add(w.line, w.len, cap, strerrordesc_np(err));
	}
	w.len = add(w.line, w.len, cap, "; those children get reap-time (inexact) exit times\n");
	if (!W || W->ep < 0 || W->selfpidfd < 0) /* in the program's table, or no borrowing */
		join_log_warn(w.line, w.len);
	else
		with_log(write_warning, &w, 1);
}

/* ---- the watched children ---- */

/* 1: exited (si filled), 0: not yet, -1: gone (reaped, or never ours).  __WALL:
 * children with another exit signal (clone) are children too. */
static int peek(int fd, siginfo_t *si)
{
	si->si_pid = 0;
	if (syscall(SYS_waitid, P_PIDFD, fd, si, WEXITED | WNOHANG | WNOWAIT | __WALL, NULL) < 0)
		return -1;
	return si->si_pid != 0;
}

static void release(struct watched *s)
{
	close(s->fd); /* also leaves the epoll set: it was the file's only descriptor */
	__atomic_store_n(&s->state, S_FREE, __ATOMIC_RELEASE);
}

/* The opener's claim compares every slot's state, owned or not: even the owner's own
 * reads and writes of it are atomic (relaxed), or they race that compare. */
static int state(const struct watched *s)
{
	return __atomic_load_n(&s->state, __ATOMIC_RELAXED);
}

static void set_state(struct watched *s, int v)
{
	__atomic_store_n(&s->state, v, __ATOMIC_RELAXED);
}

static void schedule(struct watched *s, uint64_t now)
{
	uint64_t next = now + s->backoff_ms * MS;
	uint64_t due = s->exit_ns + (uint64_t)join_cfg.zombie_ms * MS;
	if (state(s) == S_EXITED && due < next)
		next = due;
	s->next_ns = next;
	if (!W->sweep_at || next < W->sweep_at)
		W->sweep_at = next;
}

/* Its status is known: the exit event, and the zombie deadline. */
static void exited(struct watched *s, const siginfo_t *si, uint64_t now)
{
	set_state(s, S_EXITED);
	s->backoff_ms = FIRST_MS;
	emit_exit(s, join_si_status(si));
	schedule(s, now);
}

/* Past the deadline and still unreaped: one zombie event, with the comm it has now. */
static int zombie(struct watched *s, uint64_t now)
{
	struct zombie z;
	siginfo_t si;
	z.pid = s->pid;
	join_proc_comm(s->pid, z.comm);
	if (peek(s->fd, &si) <= 0) /* reaped while we read: the comm may be another's */
		return -1;
	z.age_ms = (now - s->exit_ns) / MS;
	if (join_cfg.log_kind != JOIN_LOG_OFF)
		with_log(write_zombie, &z, 0);
	set_state(s, S_WARNED);
	return 0;
}

/* A readable pidfd: the child's thread group has exited, now.  The program, if it
 * was blocked in a wait, wakes at the same instant and races us to the table: so the
 * instant goes in first, before the status is even looked at. */
static void on_event(unsigned i, uint64_t now)
{
	siginfo_t si;
	if (i >= MAXW)
		return;
	struct watched *s = &W->slot[i];
	if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) != S_LIVE)
		return;
	int known = s->exact ? join_table_exited(s->pid, now) : join_table_find(s->pid, NULL);
	if (!known) { /* reaped and settled already, or not tracked: nothing to add */
		release(s);
		return;
	}
	s->exit_ns = now;
	s->backoff_ms = FIRST_MS;
	int k = peek(s->fd, &si);
	if (k < 0) {
		release(s); /* reaped since: its record has our instant */
	} else if (k > 0) {
		exited(s, &si, now);
	} else { /* a tracer holds the exit: poll until we may see the status */
		set_state(s, S_DEAD);
		schedule(s, now);
	}
}

static void check(struct watched *s, uint64_t now)
{
	siginfo_t si;
	int k = peek(s->fd, &si);
	if (k < 0) {
		release(s);
		return;
	}
	if (state(s) == S_DEAD && k > 0) {
		exited(s, &si, now);
		return;
	}
	if (state(s) == S_EXITED && now >= s->exit_ns + (uint64_t)join_cfg.zombie_ms * MS &&
	    zombie(s, now) < 0) {
		release(s);
		return;
	}
	s->backoff_ms = s->backoff_ms * 2 < LAST_MS ? s->backoff_ms * 2 : LAST_MS;
	schedule(s, now);
}

/* Looks at the exited children whose time has come; sets the next sweep. */
static void sweep(uint64_t now)
{
	unsigned n = __atomic_load_n(&W->used, __ATOMIC_ACQUIRE);
	W->sweep_at = 0;
	for (unsigned i = 0; i < n; i++) {
		struct watched *s = &W->slot[i];
		if (__atomic_load_n(&s->state, __ATOMIC_ACQUIRE) < S_DEAD)
			continue;
		if (s->next_ns <= now)
			check(s, now);
		else if (!W->sweep_at || s->next_ns < W->sweep_at)
			W->sweep_at = s->next_ns;
	}
}

static int timeout_ms(uint64_t now)
{
	uint64_t at = W->sweep_at && W->sweep_at < W->look_at ? W->sweep_at : W->look_at;
	if (at <= now)
		return 0;
	uint64_t ms = (at - now + MS - 1) / MS;
	return ms > 86400000 ? 86400000 : (int)ms;
}

/* No program thread is left (watch_alone.c): glibc, which counts ours too, did not
 * end the process.
 * Our two threads return (the opener first), and glibc calls exit(0) in the last,
 * as it would have in the program's last thread.  By then the program's descriptor
 * table is gone with its threads: what it left in stdio buffers is lost. */
static void quit(void)
{
	__atomic_store_n(&W->quitting, 1, __ATOMIC_RELEASE);
	__atomic_add_fetch(&join_watch_hot.ring.seq, 1, __ATOMIC_SEQ_CST);
	syscall(SYS_futex, &join_watch_hot.ring.seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	pthread_join(W->opener_thread, NULL);
	/* The program's exit handlers will run on this stack, and may fork: a child must
	 * find it as it was, not wiped. */
	madvise(map + WATCHER_AT, BIGSTACK, MADV_KEEPONFORK);
}

static void watch_loop(void)
{
	struct epoll_event ev[64];
	uint64_t now = join_now_ns();
	W->look_at = now + LOOK_MS * MS;
	for (;;) {
		int n = epoll_wait(W->ep, ev, 64, timeout_ms(now));
		now = join_now_ns(); /* the exit instant of every pidfd in this batch */
		for (int i = 0; i < n; i++)
			on_event(ev[i].data.u32, now);
		if (W->sweep_at && W->sweep_at <= now)
			sweep(now);
		if (W->look_at <= now) {
			int k = join_watch_alone(gettid(), W->opener_tid);
			if (k == JOIN_WATCH_ALONE)
				return quit();
			W->look_at = now + (k == JOIN_WATCH_MAIN ? LOOK_MS : LONELY) * MS;
		}
	}
}

/* ---- the opener ---- */

/* The lowest free slot, so that sweeps look at few. */
static int claim(void)
{
	for (unsigned i = 0; i < MAXW; i++) {
		int f = S_FREE;
		if (!__atomic_compare_exchange_n(&W->slot[i].state, &f, S_CLAIMED, 0,
		                                 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			continue;
		if (i + 1 > __atomic_load_n(&W->used, __ATOMIC_RELAXED))
			__atomic_store_n(&W->used, i + 1, __ATOMIC_RELEASE);
		return (int)i;
	}
	return -1;
}

/* Our table is bounded by the process's RLIMIT_NOFILE, as the program's is.  Keep
 * RESERVE numbers free for the log writes (a path opened, a descriptor borrowed,
 * /proc read) rather than fill the table with pidfds. */
static int room(void)
{
	struct rlimit r;
	if (getrlimit(RLIMIT_NOFILE, &r) < 0 || r.rlim_cur > INT_MAX)
		return INT_MAX;
	return (int)r.rlim_cur;
}

/* A child that exited before its pidfd was opened: the instant the watcher sees is
 * still its exit to the millisecond that records show if we are within 1 ms of the
 * fork; later, it is only a bound, and the reap record keeps the reap time. */
static int soon(pid_t pid)
{
	struct join_child_info c;
	return join_table_find(pid, &c) && join_now_ns() - c.fork_ns <= MS;
}

static void open_one(pid_t pid)
{
	siginfo_t si;
	int fd = pidfd_open(pid);
	if (fd < 0) {
		if (errno != ESRCH) /* ESRCH: reaped already, the reap record has its time */
			warn(0, "pidfd_open", errno);
		return;
	}
	if (fd + RESERVE >= room()) {
		close(fd);
		warn(6, "the descriptor limit (RLIMIT_NOFILE) is near", 0);
		return;
	}
	int k = peek(fd, &si);
	if (k < 0) { /* reaped already, the pid maybe someone else's now */
		close(fd);
		return;
	}
	int i = claim();
	if (i < 0) {
		close(fd);
		warn(1, "more than 1024 unreaped children at once", 0);
		return;
	}
	struct watched *s = &W->slot[i];
	s->pid = pid;
	s->fd = fd;
	s->exact = k == 0 || soon(pid);
	__atomic_store_n(&s->state, S_LIVE, __ATOMIC_RELEASE);
	struct epoll_event ev = {.events = EPOLLIN | EPOLLONESHOT, .data.u32 = (uint32_t)i};
	if (epoll_ctl(W->ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = errno;
		release(s);
		warn(2, "epoll_ctl", err);
	}
}

static void drain(void)
{
	pid_t pid;
	while (join_ring_pop(&join_watch_hot.ring, &pid))
		open_one(pid);
}

/* Woken at each new child, not napping between batches: a nap saved wake-ups on a fork
 * loop but let a child that exits at once pass the 1 ms of soon() under load. */
static void *opener(void *arg)
{
	(void)arg;
	__atomic_store_n(&W->opener_tid, gettid(), __ATOMIC_RELEASE);
	while (!__atomic_load_n(&W->quitting, __ATOMIC_ACQUIRE)) {
		drain();
		join_ring_wait(&join_watch_hot.ring);
	}
	return NULL;
}

/* ---- start ---- */

/* Detached, or joinable into *t (the opener: the watcher joins it in quit()), on a
 * stack of our mapping. */
static int spawn(void *(*fn)(void *), size_t at, size_t size, pthread_t *t)
{
	pthread_attr_t a;
	pthread_t own;
	if (pthread_attr_init(&a))
		return -1;
	if (!t)
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
	int rc = pthread_attr_setstack(&a, map + at, size);
	if (rc == 0)
		rc = pthread_create(t ? t : &own, &a, fn, NULL);
	pthread_attr_destroy(&a);
	return rc;
}

/*
 * The mapping, once per address space.  glibc leaves a thread's stack given by
 * the caller alone in a forked child, except that unlinking the forking thread
 * from its list may write a pointer into our descriptor's page there: a
 * wiped page, so one zeroed page, never a fault on unmapped memory (why the
 * mapping is MADV_WIPEONFORK, not MADV_DONTFORK).  Where the kernel has no
 * wipe-on-fork it is copied like any memory: slower, no less correct.  The one
 * thread of ours that runs program code, the watcher when it ends the process
 * (quit()), takes its stack back to keep-on-fork first.
 */
static int mapped(void)
{
	if (map)
		return 0;
	char *m = mmap(NULL, MAP_BYTES, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (m == MAP_FAILED)
		return -1;
	mprotect(m, PAGE, PROT_NONE); /* guards below each stack */
	mprotect(m + OPENER_AT + STACK, PAGE, PROT_NONE);
	madvise(m, MAP_BYTES, MADV_WIPEONFORK);
	madvise(&join_watch_hot, sizeof join_watch_hot, MADV_WIPEONFORK);
	map = m;
	W = (struct watch_mem *)(void *)(m + MEM_AT);
	return 0;
}

static void *watcher(void *arg)
{
	(void)arg;
	if (own_table() < 0) {
		int err = errno;
		join_watch_failed();
		warn(3, "no descriptor table of its own", err);
		return NULL;
	}
	drain(); /* the first child is waiting: before the opener's start-up, not after */
	int rc = spawn(opener, OPENER_AT, STACK,
	               &W->opener_thread); /* shares our table, and the full mask */
	if (rc) {
		join_watch_failed();
		warn(4, "no opener thread", rc);
		return NULL;
	}
	watch_loop();
	return NULL;
}

int join_watcher_start(void)
{
	sigset_t all, old;
	if (mapped() < 0) {
		warn(7, "no memory for its threads", errno);
		return -1;
	}
	/* In a forked child these hold the parent's state (unless wiped): its numbers mean
	 * nothing here. */
	join_ring_reset(&join_watch_hot.ring);
	memset(W->slot, 0, W->used * sizeof *W->slot);
	W->used = 0;
	W->ep = W->selfpidfd = -1;
	W->sweep_at = 0;
	warned = W->quitting = 0;
	W->opener_tid = 0;
	pthread_mutex_init(&W->emit_mu, NULL);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old); /* the thread is born with every signal blocked */
	int rc = spawn(watcher, WATCHER_AT, BIGSTACK, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		warn(5, "no watcher thread", rc);
		return -1;
	}
	return 0;
}
