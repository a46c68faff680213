/* SPDX-License-Identifier: MIT */
/*
 * collect.c - the collector's loop: one process per tree (docs/DESIGN.md).
 *
 * It reads the ring in order, turns each event into the log's text in a
 * buffer and writes the buffer once per batch.  It sleeps in epoll_wait at
 * most TICK_MS; a producer wakes it (SIGURG, read from a signalfd) only when
 * it sleeps and the ring is past half full, so a busy tree costs one wake per
 * batch, not per record.
 *
 * In watch mode it also opens a pidfd for every forked child: a readable
 * pidfd is the exit instant (exact when the pidfd was open before the exit),
 * the child's own exit event gives it for a child that exited sooner, and a
 * child exited but not reaped after JOIN_ZOMBIE_MS gets one zombie event,
 * whoever its parent is now (one that exec'd another program, or init).
 *
 * It ends when the root has exited and the ring is drained: the ring is
 * closed (no reservation after that: late producers write their records
 * themselves), and what was reserved before is read or, for a producer that
 * died in mid-slot, skipped and counted.
 */
#include "collector/collect.h"
#include "base/num.h"
#include "log/diag.h"
#include "ring/pidns.h"
#include "emit.h"
#include "text/strerror.h"
#include "base/line.h"
#include "base/clock.h"
#include "base/config.h"
#include "text/event.h"
#include "log/log.h"
#include "collector/nsmap.h"
#include "collector/opaque.h"
#include "base/proc.h"
#include "ring/ring.h"
#include "base/sys.h"
#include "text/text.h"
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <uthash.h>
#include <unistd.h>

/* With epoll every end that matters wakes us (the root's pidfd, SIGCHLD, a
 * watched pidfd, a producer at a half-full ring): the tick only brings the log up
 * to date.  Each wake is a context switch the tree pays for on a busy CPU. */
#define TICK_MS 100
#define POLL_MS 20   /* without epoll: /proc tells when the root is gone */
#define LOOK_MS 1000 /* the looks no event announces, at the least */
#define MS      1000000ull
#define OUT_MAX (64 * 1024)
#define PENDING 256

/* A child being watched (watch mode). */
struct kid {
	pid_t pid, parent;
	int fd;                    /* its pidfd, -1 when none */
	uint8_t exact;             /* exit_ns is the exit's */
	uint8_t exit_written;      /* its JSONL exit event is out */
	uint8_t zombie_written;    /* its zombie event is out */
	uint64_t fork_ns, exit_ns; /* 0: unknown */
	int status;                /* from its own exit event or /proc; -1 unknown */
	char pcomm[JOIN_COMM_MAX]; /* the parent's, from the fork event */
	char comm[JOIN_COMM_MAX];  /* its own, from its exit event; "" unknown */
	/* Accounting (docs/DESIGN.md, "Own and inclusive CPU"), in every mode. */
	uint8_t how, opaque;        /* from its fork event; enum join_opaque */
	uint8_t dead;               /* reaped, kept while children of its may be orphans */
	int live;                   /* its children forked and not yet reaped */
	uint64_t dead_ns;           /* its exit (or reap): when its children were orphaned */
	uint64_t acc_user, acc_sys; /* inclusive CPU of the children it reaped, us */
	long acc_rss;               /* their largest peak RSS, KiB */
	UT_hash_handle hh;
};

static struct {
	struct join_ring *ring;
	pid_t root;
	int rootfd, ep, sigfd, logfd;
	int root_gone;
	uint64_t stuck_since; /* when the slot at head was first seen unpublished */
	struct kid *kids;
	size_t outlen;
	struct join_collect_stats st;
	pid_t pending[PENDING]; /* exited before their pidfd was open; exit instant to come */
	int npending;
	pid_t self;
	char comm[JOIN_COMM_MAX];
	int subreaper, wait_all; /* joinrun: orphans of the tree are our children */
	int others;              /* children of ours besides the root, at the last look */
	int chld;                /* a SIGCHLD came since that look */
	uint64_t looked;         /* when /proc was last looked at for what no event says */
	uint64_t root_exit_ns;
	char root_exe[256]; /* the root's image when last judged */
} C;                        /* zero: in .bss, so the loader maps nothing for it at each exec */

/* The batch, apart from C: a tree's start clears C, and clearing 64 KiB would
 * fault in 16 pages that a small tree never writes. */
static char out[OUT_MAX];

/* --- the log ------------------------------------------------------------- */

/* Lines in s[0, n) that did not reach the log: counted, with the first reason. */
static void lose(const char *s, size_t n, int err)
{
	for (size_t i = 0; i < n; i++)
		C.st.lost += s[i] == '\n';
	if (!C.st.lost_err)
		C.st.lost_err = err;
}

/* The whole lines of s that fit under RLIMIT_FSIZE (the rest would raise SIGXFSZ,
 * or be cut mid-line): all of n unless the log is a regular file near the limit. */
static size_t fits(const char *s, size_t n, const struct stat *st)
{
	rlim_t lim = join_fsize_limit();
	if (lim == RLIM_INFINITY || !S_ISREG(st->st_mode))
		return n;
	off_t at = lseek(C.logfd, 0, SEEK_CUR); /* O_APPEND: the end, as st_size */
	if (at < st->st_size)
		at = st->st_size;
	if ((rlim_t)at >= lim)
		return 0;
	size_t room = lim - (rlim_t)at < n ? (size_t)(lim - (rlim_t)at) : n;
	while (room < n && room && s[room - 1] != '\n')
		room--;
	return room;
}

/* A log file removed under us (its last link gone) is made anew at its path, as
 * the direct path's open would; a symbolic link planted there is refused.  0 with
 * errno when the log cannot be written; st is the descriptor's fstat. */
static int reopened(struct stat *st)
{
	if (join_sys_fstat(C.logfd, st) < 0)
		return 0;
	if (st->st_nlink || join_cfg.log_kind != JOIN_LOG_PATH)
		return 1;
	int fd = join_log_open(join_cfg.log_path);
	if (fd < 0)
		return 0;
	close(C.logfd);
	C.logfd = fd;
	return join_sys_fstat(fd, st) == 0;
}

/* Our own process ignores or blocks SIGPIPE and SIGXFSZ (joinrun, bare.c): a failed
 * write is an error here, counted, never our death. */
static void put(const char *s, size_t n)
{
	struct stat st;
	if (!reopened(&st)) {
		lose(s, n, errno);
		return;
	}
	size_t ok = fits(s, n, &st), done = 0;
	while (done < ok) {
		ssize_t w = write(C.logfd, s + done, ok - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			lose(s + done, n - done, w < 0 ? errno : EIO);
			return;
		}
		done += (size_t)w;
	}
	if (ok < n)
		lose(s + ok, n - ok, EFBIG);
}

static void flush(void)
{
	if (C.outlen && C.logfd >= 0)
		put(out, C.outlen);
	C.outlen = 0;
}

/* One line from process pid; a %p log gets its own file per pid. */
static void line(const char *s, size_t n, pid_t pid)
{
	if (!n || join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	C.st.lines++;
	if (C.logfd < 0) { /* a path with %p, or one we could not open: per line */
		join_log_write_as(s, n, pid);
		return;
	}
	if (C.outlen + n > sizeof out)
		flush();
	if (n > sizeof out) {
		put(s, n);
		return;
	}
	memcpy(out + C.outlen, s, n);
	C.outlen += n;
}

static void open_log(void)
{
	if (join_cfg.log_kind == JOIN_LOG_FD)
		C.logfd = join_cfg.log_fd;
	else if (join_cfg.log_kind == JOIN_LOG_PATH && !strchr(join_cfg.log_path, '%'))
		C.logfd = join_log_open(join_cfg.log_path);
}

/* The log's last line, if it can still be written: it is incomplete, and how (a
 * report of the log alone then says so).  JSONL: a warning event with "lost". */
static void say_lost(void)
{
	char buf[512], tmp[32];
	struct join_line l = JOIN_LINE(buf);
	if (C.logfd < 0) /* a log per process (%p), or none that opens */
		return;
	join_line_cat(&l, JOIN_DIAG, "the log is incomplete: ", NULL);
	join_line_u64(&l, C.st.lost);
	join_line_cat(&l, " records lost, ",
	              C.st.lost_err ? join_strerror(C.st.lost_err, tmp)
	                            : "the program put another file on the log's descriptor",
	              "\n", NULL);
	if (!join_line_fits(&l))
		return;
	size_t n = l.len;
	if (join_cfg.format == JOIN_FORMAT_JSONL) {
		struct join_warning x = {.text = buf + strlen(JOIN_DIAG),
		                         .ntext = l.len - strlen(JOIN_DIAG) - 1,
		                         .lost = C.st.lost,
		                         .lost_err = C.st.lost_err};
		struct join_self me;
		char ev[1024];
		join_pidns_self(&me);
		n = join_jsonl_warning(ev, sizeof ev, &me, join_now_ns(), &x);
		memcpy(buf, ev, n < sizeof buf ? n : 0);
		if (n >= sizeof buf)
			return;
	}
	uint64_t before = C.st.lost;
	line(buf, n, 0);
	flush();
	C.st.lost = before; /* the note itself is no record */
}

/* --- watch mode ---------------------------------------------------------- */

static struct kid *kid(pid_t pid, int make)
{
	struct kid *k;
	HASH_FIND_INT(C.kids, &pid, k);
	if (k || !make)
		return k;
	k = calloc(1, sizeof *k);
	if (!k)
		return NULL;
	k->pid = pid;
	k->fd = -1;
	k->status = -1;
	HASH_ADD_INT(C.kids, pid, k);
	return k;
}

static void forget(struct kid *k)
{
	if (k->fd >= 0)
		close(k->fd); /* leaves the epoll set with it */
	k->fd = -1;
	HASH_DEL(C.kids, k);
	free(k);
}

static void exit_line(struct kid *k, int status)
{
	char buf[512];
	struct join_rec r = {.pid = k->pid, .status = status, .exact = k->exact};
	struct join_self me = {.pid = k->parent};
	if (k->exit_written || !k->parent || join_cfg.format != JOIN_FORMAT_JSONL || status < 0)
		return;
	k->exit_written = 1;
	memcpy(me.comm, k->pcomm, sizeof me.comm);
	line(buf, join_jsonl_exit(buf, sizeof buf, &me, k->exit_ns, &r), k->parent);
}

/* Its parent and its exit both known: the JSONL exit event, with the status its
 * own exit event gave or the one it left as a zombie. */
static void announce(struct kid *k)
{
	if (!k->parent || !k->exit_ns || k->exit_written || join_cfg.format != JOIN_FORMAT_JSONL)
		return;
	int st = k->status;
	if (st < 0 && join_proc_state(k->pid, &st) != 'Z')
		st = -1;
	exit_line(k, st);
}

static void unwatch(struct kid *k)
{
	if (k->fd < 0)
		return;
	join_sys_epoll_ctl(C.ep, EPOLL_CTL_DEL, k->fd, NULL);
	close(k->fd);
	k->fd = -1;
}

/* A pidfd of a child that exited already is readable at once. */
static int readable(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	return poll(&p, 1, 0) == 1;
}

static void watch_fork(const struct join_event *ev)
{
	struct kid *k = kid(ev->u.fork.child, 1);
	if (!k)
		return;
	k->parent = ev->pid;
	k->fork_ns = ev->t_ns;
	memcpy(k->pcomm, ev->comm, sizeof k->pcomm);
	if (k->exit_ns) { /* its own exit event came first: nothing left to watch */
		announce(k);
		return;
	}
	k->fd = C.ep < 0 ? -1 : (int)syscall(SYS_pidfd_open, k->pid, 0);
	if (k->fd < 0) {
		C.st.unwatched++;
	} else if (readable(k->fd)) {
		unwatch(k);
		/* Exited before we looked: its own exit event, published before it
		 * exited, may be further on in the ring.  Settled after this batch. */
		if (!k->exit_ns && C.npending < PENDING)
			C.pending[C.npending++] = k->pid;
		else if (!k->exit_ns)
			k->exit_ns = join_now_ns();
		return;
	} else {
		struct epoll_event e = {.events = EPOLLIN, .data.u64 = (uint64_t)k->pid};
		join_sys_epoll_ctl(C.ep, EPOLL_CTL_ADD, k->fd, &e);
	}
	announce(k);
}

/* The child's own word, sent as it exits: the instant, exact. */
static void watch_exit(const struct join_event *ev)
{
	struct kid *k = kid(ev->pid, 1);
	if (!k)
		return;
	if (ev->u.exit.status >= 0)
		k->status = ev->u.exit.status;
	memcpy(k->comm, ev->comm, sizeof k->comm);
	if (!k->exit_written && (!k->exit_ns || ev->t_ns < k->exit_ns)) {
		k->exit_ns = ev->t_ns;
		k->exact = 1;
	}
	announce(k);
}

/* A readable pidfd: the child exited now. */
static void watch_ready(struct kid *k, uint64_t now)
{
	unwatch(k);
	if (!k->exit_ns) {
		k->exit_ns = now;
		k->exact = 1;
	}
	announce(k);
}

/* A reap: the exact exit into its record; the exit event first if still due. */
static void watch_reap(struct kid *k, struct join_rec *r)
{
	if (!r->comm[0]) /* the reaper could not read it (no descriptor left) */
		memcpy(r->comm, k->comm, sizeof r->comm);
	if (k->exit_ns && k->exact && k->exit_ns <= r->reap_ns) {
		r->exit_ns = k->exit_ns;
		r->has_exit = r->exact = 1;
	}
	if (k->exit_ns)
		exit_line(k, r->status);
	unwatch(k);
}

/* Exited, unreaped past the deadline, still a zombie: one event. */
static void zombie(struct kid *k, uint64_t now)
{
	char buf[512], comm[JOIN_COMM_MAX];
	int st;
	k->zombie_written = 1;
	if (join_proc_state(k->pid, &st) != 'Z') {
		forget(k); /* reaped by a parent that tells us nothing */
		return;
	}
	join_proc_comm(k->pid, comm);
	struct join_self me = {.pid = k->parent};
	memcpy(me.comm, k->pcomm, sizeof me.comm);
	size_t n =
	    join_zombie_line(buf, sizeof buf, &me, now, k->pid, comm, (now - k->exit_ns) / MS);
	line(buf, n, k->parent);
	C.st.zombies++;
}

/* The earliest zombie deadline, or 0; writes those that are due. */
static uint64_t zombies(uint64_t now)
{
	uint64_t next = 0, wait = (uint64_t)join_cfg.zombie_ms * MS;
	struct kid *k, *t;
	HASH_ITER(hh, C.kids, k, t)
	{
		if (!k->exit_ns || k->zombie_written || k->dead)
			continue;
		if (now >= k->exit_ns + wait && !k->parent)
			forget(k); /* an exit event from a process born outside our sight */
		else if (now >= k->exit_ns + wait)
			zombie(k, now);
		else if (!next || k->exit_ns + wait < next)
			next = k->exit_ns + wait;
	}
	return next;
}

/* --- the ring ------------------------------------------------------------ */

/* --- accounting ---------------------------------------------------------- */

/* A fork: who made the child (the parent an orphan loses) and how. */
static void forked(const struct join_event *ev)
{
	struct kid *k = kid(ev->u.fork.child, 0), *p;
	if (k && k->dead)
		forget(k); /* a pid used again: the old process is gone */
	if (!(k = kid(ev->u.fork.child, 1)))
		return;
	k->parent = ev->pid;
	k->how = ev->u.fork.how;
	if (!k->fork_ns)
		k->fork_ns = ev->t_ns;
	if ((p = kid(ev->pid, 1)))
		p->live++;
}

/* Forgets a reaped process once no child of its can be orphaned any more. */
static void release(struct kid *k)
{
	if (k->dead && k->live <= 0 && k->pid != C.root)
		forget(k);
}

/* Own time: the inclusive rusage less what the child's own reaps brought in (the
 * kernel adds a reaped child's inclusive times to its reaper's).  Unknown for a
 * process libjoin could not follow: its reaps were not seen. */
static void own_time(struct join_rec *r, const struct kid *k)
{
	uint64_t u = k ? k->acc_user : 0, s = k ? k->acc_sys : 0;
	long rss = k ? k->acc_rss : 0;
	if (!r->has_ru || r->opaque)
		return;
	r->has_self = 1;
	r->self_user_us = r->user_us > u ? r->user_us - u : 0;
	r->self_sys_us = r->sys_us > s ? r->sys_us - s : 0;
	/* A peak is a maximum, not a sum: it is the child's own only when above its
	 * children's. */
	if (r->maxrss_kb > rss) {
		r->has_self_rss = 1;
		r->self_maxrss_kb = r->maxrss_kb;
	}
}

/* A reap: settle the child's own time and marks, credit its reaper. */
static void reaped(struct join_event *ev)
{
	struct join_rec *r = &ev->u.reap;
	struct kid *k = kid(r->pid, 0), *w;
	if (k && k->dead)
		k = NULL; /* an older process of that pid */
	if (k && C.ring->h.watch)
		watch_reap(k, r);
	if (k && k->opaque && !r->opaque)
		r->opaque = k->opaque;
	if (r->opaque < JOIN_OPAQUE_N && r->opaque)
		C.st.opaque[r->opaque]++;
	own_time(r, k);
	if (ev->pid != C.self && r->has_ru && (w = kid(ev->pid, 1))) {
		w->acc_user += r->user_us;
		w->acc_sys += r->sys_us;
		if (r->maxrss_kb > w->acc_rss)
			w->acc_rss = r->maxrss_kb;
	}
	if (!k)
		return;
	struct kid *p = k->parent ? kid(k->parent, 0) : NULL;
	k->dead = 1;
	k->dead_ns = r->has_exit ? r->exit_ns : r->reap_ns;
	release(k);
	if (p) {
		p->live--;
		release(p);
	}
}

/* What a process is about to exec (image.c): judged now, while the file is there. */
static void image(const struct join_event *ev)
{
	struct kid *k = kid(ev->u.image.pid, 1);
	if (!k)
		return;
	if (ev->u.image.failed) {
		k->opaque = JOIN_OPAQUE_NONE;
		return;
	}
	k->opaque = join_image_judge(ev->u.image.pid, ev->u.image.path);
	if (!k->opaque && ev->u.image.no_preload)
		k->opaque = JOIN_OPAQUE_NO_PRELOAD;
}

/* In the log's order: a fork before its child's exit, the exit before the reap. */
static void event(struct join_event *ev)
{
	char buf[1024];
	struct join_self me;
	/* Pids of another namespace into ours first; one we could not is never looked
	 * up here (no pidfd, no /proc read): it would name someone else. */
	int ours = join_nsmap_event(ev, &me);
	int watch = C.ring->h.watch && ours;
	C.st.events++;
	if (ev->type == JOIN_EV_IMAGE) {
		if (ours)
			image(ev);
		return;
	}
	if (watch && ev->type == JOIN_EV_EXIT)
		watch_exit(ev);
	if (ours && ev->type == JOIN_EV_REAP)
		reaped(ev);
	line(buf, join_event_line_as(buf, sizeof buf, ev, &me), ev->pid);
	join_nsmap_reaped();
	if (ours && ev->type == JOIN_EV_FORK)
		forked(ev);
	if (watch && ev->type == JOIN_EV_FORK)
		watch_fork(ev);
}

/* --- orphans: joinrun is the tree's child subreaper ------------------------ */

/* An orphan of the tree, a zombie child of ours now: reaped with wait4 (its exact
 * rusage) and recorded like any other child, with the parent it lost. */
static void orphan(pid_t pid)
{
	struct join_event ev;
	struct rusage ru;
	int st;
	memset(&ev, 0, sizeof ev);
	struct join_rec *r = &ev.u.reap;
	join_proc_comm(pid, r->comm);
	if (wait4(pid, &st, WNOHANG, &ru) != pid)
		return;
	uint64_t now = join_now_ns();
	ev.type = JOIN_EV_REAP;
	ev.pid = C.self;
	ev.t_ns = now;
	memcpy(ev.comm, C.comm, sizeof ev.comm);
	struct kid *k = kid(pid, 0), *p = NULL;
	if (k && k->dead)
		k = NULL;
	if (k && k->parent)
		p = kid(k->parent, 0);
	r->pid = pid;
	r->status = st;
	r->tid = C.self;
	r->call = JOIN_CALL_WAIT4;
	r->how = k ? k->how : JOIN_HOW_UNKNOWN;
	r->tracked = k && k->fork_ns;
	r->has_fork = r->tracked;
	r->fork_ns = k ? k->fork_ns : 0;
	r->has_exit = 1;
	r->exit_ns = r->reap_ns = now; /* an upper bound unless watch mode knows better */
	r->has_ru = 1;
	r->user_us = join_tv_us(ru.ru_utime);
	r->sys_us = join_tv_us(ru.ru_stime);
#define X(member, ru_member) r->member = ru.ru_member;
	JOIN_RUSAGE_FIELDS(X)
#undef X
	r->orphan = 1;
	r->parent = k ? k->parent : 0;
	r->orphan_ns = p && p->dead ? p->dead_ns : 0;
	C.st.orphans++;
	event(&ev);
}

/* Our children besides the root, zombies reaped as orphans; returns how many. */
static int orphans(void)
{
	char path[64], buf[4096];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)C.self, (int)C.self);
	int fd = open(path, O_RDONLY | O_CLOEXEC), n = 0;
	ssize_t len = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
	if (fd >= 0)
		close(fd);
	if (len <= 0)
		return 0;
	buf[len] = 0;
	for (char *s = buf, *e; *s; s = e) {
		long pid = join_strtol(s, &e);
		if (e == s)
			break;
		if (pid <= 0 || pid == C.root)
			continue;
		n++;
		if (join_proc_state((pid_t)pid, NULL) == 'Z')
			orphan((pid_t)pid), n--;
	}
	return n;
}

/* The root's own image, judged again whenever it changes (an exec of its own). */
static void judge_root(void)
{
	char path[64], exe[sizeof C.root_exe];
	snprintf(path, sizeof path, "/proc/%d/exe", (int)C.root);
	ssize_t n = readlink(path, exe, sizeof exe - 1);
	if (n <= 0)
		return;
	exe[n] = 0;
	if (!strcmp(exe, C.root_exe))
		return;
	strcpy(C.root_exe, exe);
	C.st.root_opaque = (uint8_t)join_opaque_pid(C.root);
}

/* The root has exited: its children are orphans from now on. */
static void root_died(void)
{
	struct kid *k = kid(C.root, 1);
	C.root_exit_ns = join_now_ns();
	if (k) {
		k->dead = 1;
		k->dead_ns = C.root_exit_ns;
	}
	if (C.rootfd >= 0 && C.ep >= 0)
		join_sys_epoll_ctl(C.ep, EPOLL_CTL_DEL, C.rootfd, NULL);
}

/* Children that exited before their pidfd was open and sent no exit event (killed,
 * or exited before the ring was theirs): the instant we saw it is only a bound. */
static void settle_pending(void)
{
	uint64_t now = join_now_ns();
	for (int i = 0; i < C.npending; i++) {
		struct kid *k = kid(C.pending[i], 0);
		if (k && !k->exit_ns) {
			k->exit_ns = now;
			announce(k);
		}
	}
	C.npending = 0;
}

/* The event at *pos, if it is there to read (or to skip); 0 when we must wait. */
static int one(uint64_t *pos, struct join_event *ev)
{
	int waited = 0;
	if (C.stuck_since)
		waited = (int)((join_now_ns() - C.stuck_since) / MS);
	int k = join_ring_take(C.ring, *pos, ev, waited);
	if (k == 0) {
		if (!C.stuck_since)
			C.stuck_since = join_now_ns();
		return 0;
	}
	C.stuck_since = 0;
	if (k == 1)
		event(ev);
	++*pos;
	if (C.outlen > OUT_MAX / 2) { /* written before it is released: nothing lost */
		flush();
		join_ring_release(C.ring, *pos);
	}
	return 1;
}

/* Reads what is published, in order, up to end (or the tail as it moves); 1 when it
 * reached it. */
static int drain(uint64_t end)
{
	uint64_t pos = __atomic_load_n(&C.ring->h.head, __ATOMIC_ACQUIRE);
	uint64_t tail = end ? end : join_ring_tail(C.ring);
	struct join_event ev;
	/* A second pass to the tail as it is then: what was published while we read the
	 * first part (a child's exit event, ahead of the pidfd we found readable). */
	int more = 1;
	for (int pass = 0; pass < 2 && more; pass++) {
		if (pass && !end)
			tail = join_ring_tail(C.ring);
		while (pos < tail && (more = one(&pos, &ev)))
			;
	}
	settle_pending();
	flush();
	join_ring_release(C.ring, pos);
	return pos >= tail;
}

/* --- waiting ------------------------------------------------------------- */

/* With a pidfd in epoll the root's end wakes us; only without one is /proc asked. */
static int root_alive(void)
{
	if (C.root_exit_ns)
		return 0;
	if (!C.root_gone && (C.rootfd < 0 || C.ep < 0)) {
		char st = join_proc_state(C.root, NULL);
		C.root_gone = st == '?' || st == 'Z' || st == 'X';
	}
	if (C.root_gone)
		root_died();
	return !C.root_gone;
}

/* /proc is read when an event says something changed, not at every tick: our
 * children change at a SIGCHLD (the signalfd), and a root that is followed
 * announces its execs in the ring.  A look every LOOK_MS catches the rest (a
 * child of ours whose SIGCHLD we could not see, a root's exec by a bare system
 * call); without a signalfd, or for a root we cannot follow, every tick looks. */
static int due(void)
{
	uint64_t now = join_now_ns();
	if (now - C.looked < LOOK_MS * MS)
		return 0;
	C.looked = now;
	return 1;
}

/* The tree runs on: its root, or with --wait-all any process of it. */
static int tree_alive(void)
{
	int root = root_alive(), slow = due();
	if (C.subreaper && (C.chld || slow || C.sigfd < 0 || C.ep < 0)) {
		C.chld = 0;
		C.others = orphans();
	}
	if (C.subreaper && root && (slow || C.st.root_opaque))
		judge_root();
	return root || (C.wait_all && C.others > 0);
}

/* Without epoll (a sandbox that denies it) the collector polls: it sleeps a
 * tick, and /proc tells when the root is gone. */
static int nap(int ms)
{
	struct timespec ts = {0, (long)ms * 1000000};
	nanosleep(&ts, NULL);
	return 0;
}

static void wait_events(uint64_t next_zombie)
{
	struct epoll_event ev[64];
	uint64_t now = join_now_ns();
	int ms = C.ep >= 0 ? TICK_MS : POLL_MS;
	if (next_zombie && next_zombie > now && (next_zombie - now) / MS < (uint64_t)ms)
		ms = (int)((next_zombie - now) / MS) + 1;
	else if (next_zombie && next_zombie <= now)
		ms = 0;
	if (C.stuck_since)
		ms = 1;
	__atomic_store_n(&C.ring->h.sleeping, 1, __ATOMIC_RELEASE);
	int n = C.ep >= 0 ? join_sys_epoll_wait(C.ep, ev, 64, ms) : nap(ms);
	__atomic_store_n(&C.ring->h.sleeping, 0, __ATOMIC_RELEASE);
	now = join_now_ns(); /* the exit instant of every pidfd in this batch */
	/* An exiting child published its own exit event before its pidfd turned
	 * readable: read it first, it has the better instant. */
	if (n > 0)
		drain(0);
	for (int i = 0; i < n; i++) {
		uint64_t id = ev[i].data.u64;
		if (id == UINT64_MAX) {
			struct signalfd_siginfo si;
			while (read(C.sigfd, &si, sizeof si) > 0)
				C.chld |= si.ssi_signo == SIGCHLD;
		} else if (id == UINT64_MAX - 1) {
			C.root_gone = 1;
		} else if (id == UINT64_MAX - 2) {
			join_nsmap_read();
		} else {
			struct kid *k = kid((pid_t)id, 0);
			if (k)
				watch_ready(k, now);
		}
	}
}

static void add(int fd, uint64_t id)
{
	struct epoll_event e = {.events = EPOLLIN, .data.u64 = id};
	if (fd >= 0)
		join_sys_epoll_ctl(C.ep, EPOLL_CTL_ADD, fd, &e);
}

/* pidfds of a big tree: the soft limit of descriptors up to the hard one. */
static void more_fds(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* The robust futex word: the kernel marks it when we die, however we die. */
static void own(struct join_ring *r)
{
	static struct {
		void *next;
		long offset;
		void *pending;
	} head;
	head.next = &r->h.robust_next;
	head.offset = (long)((char *)&r->h.owner - (char *)&r->h.robust_next);
	r->h.robust_next = &head;
	__atomic_store_n(&r->h.owner, (uint32_t)syscall(SYS_gettid), __ATOMIC_RELEASE);
	syscall(SYS_set_robust_list, &head, sizeof head);
}

void join_collect_own(struct join_ring *r)
{
	own(r);
}

void join_collect_subreaper(int wait_all)
{
	C.subreaper = 1;
	C.wait_all = wait_all;
}

int join_collect(struct join_ring *r, pid_t root, int rootfd, struct join_collect_stats *st)
{
	/* A fresh state for each tree (joinrun --repeat runs several), but what
	 * join_collect_subreaper said for this one. */
	int subreaper = C.subreaper, wait_all = C.wait_all;
	memset(&C, 0, sizeof C);
	C.subreaper = subreaper;
	C.wait_all = wait_all;
	C.ring = r;
	C.root = root;
	C.self = getpid();
	join_proc_comm(C.self, C.comm);
	C.rootfd = rootfd;
	C.logfd = -1;
	join_log_quiet = 1; /* what is lost is counted, and said once (st->lost) */
	C.ep = join_sys_epoll_create();
	if (C.ep < 0) {
		char tmp[32];
		join_diag("collector: no epoll (", join_strerror(errno, tmp),
		          "): it polls every 20 ms and watches no child", NULL);
	}
	sigset_t urg;
	sigemptyset(&urg);
	sigaddset(&urg, SIGURG);
	if (C.subreaper) /* an orphan's exit wakes us: its record is its reap's */
		sigaddset(&urg, SIGCHLD);
	sigset_t was;
	sigprocmask(SIG_BLOCK, &urg, &was);
	C.sigfd = join_sys_signalfd(&urg, SFD_NONBLOCK | SFD_CLOEXEC);
	add(C.sigfd, UINT64_MAX);
	add(C.rootfd, UINT64_MAX - 1);
	add(join_nsmap_fd(), UINT64_MAX - 2);
	if (r->h.watch)
		more_fds();
	open_log();
	uint64_t next = 0;
	while (tree_alive()) {
		drain(0);
		if (r->h.watch)
			next = zombies(join_now_ns());
		wait_events(next);
	}
	/* The root is gone: no reservation from now on; read what was reserved. */
	/* Bounded: a ring whose header a hostile process rewrote must not hold us. */
	uint64_t end = join_ring_close(r), give_up = join_now_ns() + 3000 * MS;
	while (!drain(end) && join_now_ns() < give_up)
		wait_events(0);
	if (C.subreaper)
		C.others = orphans(); /* those that ended while we read */
	struct kid *k, *t;
	if ((k = kid(C.root, 0))) {
		C.st.root_acc_user_us = k->acc_user;
		C.st.root_acc_sys_us = k->acc_sys;
		C.st.root_acc_rss = k->acc_rss;
		C.st.root_opaque = k->opaque ? k->opaque : C.st.root_opaque;
	}
	C.st.root_exit_ns = C.root_exit_ns;
	/* joinrun may run the command again (--repeat): it must not start with our
	 * signals blocked, nor we hold what we opened. */
	if (C.sigfd >= 0)
		close(C.sigfd);
	if (C.ep >= 0)
		close(C.ep);
	sigprocmask(SIG_SETMASK, &was, NULL);
	C.st.running = (uint64_t)C.others;
	HASH_ITER(hh, C.kids, k, t)
	forget(k);
	join_nsmap_end();
	flush();
	/* Lost on the direct path: ours (a %p log, a log we could not open) and the
	 * producers' (counted in the ring). */
	int err = 0;
	C.st.lost += join_log_lost(&err);
	if (!C.st.lost_err)
		C.st.lost_err = err;
	C.st.lost += __atomic_load_n(&r->h.lost, __ATOMIC_ACQUIRE);
	if (!C.st.lost_err && __atomic_load_n(&r->h.lost_set, __ATOMIC_ACQUIRE))
		C.st.lost_err = __atomic_load_n(&r->h.lost_err, __ATOMIC_ACQUIRE);
	if (C.st.lost)
		say_lost();
	C.st.holes = r->h.holes;
	C.st.skipped = r->h.skipped;
	C.st.bad = r->h.bad;
	if (st)
		*st = C.st;
	C.subreaper = C.wait_all = 0;
	return 0;
}
