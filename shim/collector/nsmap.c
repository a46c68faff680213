/* SPDX-License-Identifier: MIT */
/*
 * nsmap.c - the collector's map from (pid namespace, pid there) to its own pid.
 *
 * A process of another pid namespace sends a hello (pidns.h) on a datagram
 * socket beside the ring before its first event there; the collector set
 * SO_PASSCRED, so the kernel adds the sender's pid as the collector's
 * namespace numbers it.  The hello is queued before the event is published,
 * so an event whose writer is not known yet is read after the queue.
 *
 * A child that never wrote an event (a leaf: `sh -c 'exit 4'`) sent no hello.
 * At its parent's fork event, while it may still live, the collector looks at
 * the parent's children in /proc (task/<tid>/children) and at each one's
 * NSpid line, whose entry at the parent's depth is the pid the parent knows.
 * That is only a look: a child gone by then stays untranslated, and its
 * records say so (local_pid, local_child, pidns), never guessed.
 */
#include "collector/nsmap.h"
#include "base/num.h"
#include "base/proc.h"
#include "base/clock.h"
#include "text/event.h"
#include "ring/pidns.h"
#include "base/sys.h"
#include "text/text.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <uthash.h>
#include <unistd.h>

struct key {
	uint64_t ns;
	pid_t pid;
	int pad; /* zero: the key is hashed as bytes */
};

struct known {
	struct key k;
	pid_t ours;
	uint64_t when; /* learnt then: a fork after it made another process of that pid */
	char comm[JOIN_COMM_MAX];
	UT_hash_handle hh;
};

static struct {
	int fd;
	int proc_ok; /* our /proc is our namespace's: NSpid and children may be read */
	struct sockaddr_un addr;
	struct known *map;
	struct known *reaped; /* the child of the reap being written */
} M = {.fd = -1};

static struct known *find(uint64_t ns, pid_t pid)
{
	struct key k = {ns, pid, 0};
	struct known *e;
	HASH_FIND(hh, M.map, &k, sizeof k, e);
	return e;
}

static struct known *learn(uint64_t ns, pid_t pid, pid_t ours)
{
	struct known *e = find(ns, pid);
	if (!e) {
		if (!(e = calloc(1, sizeof *e)))
			return NULL;
		e->k = (struct key){ns, pid, 0};
		HASH_ADD(hh, M.map, k, sizeof e->k, e);
	}
	e->ours = ours;
	e->when = join_now_ns();
	return e;
}

static void forget(struct known *e)
{
	HASH_DEL(M.map, e);
	free(e);
}

int join_nsmap_listen(const char *ring_path)
{
	M.proc_ok = join_pidns_proc_names(getpid());
	if (!join_pidns_addr(ring_path, &M.addr))
		return -1;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0), on = 1;
	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof on) < 0 ||
	    bind(fd, (struct sockaddr *)&M.addr, sizeof M.addr) < 0) {
		close(fd);
		return -1;
	}
	chmod(M.addr.sun_path, 0600); /* the ring's owner only, as the ring */
	return M.fd = fd;
}

int join_nsmap_fd(void)
{
	return M.fd;
}

static int nspid(pid_t pid, long *v, int max);

/* A hello is checked against /proc while its sender is there to look at: its
 * namespace and its pid in it.  One that exited already is taken at its word
 * (the kernel's pid, with the namespace and pid it said). */
static int contradicted(const struct join_hello *h, pid_t ours)
{
	char p[64];
	struct stat st;
	long v[32];
	if (!M.proc_ok)
		return 0;
	snprintf(p, sizeof p, "/proc/%d/ns/pid", (int)ours);
	int k = nspid(ours, v, 32);
	if (join_sys_stat(p, &st) < 0 || k <= 0)
		return 0; /* gone */
	return (h->ns != JOIN_PIDNS_UNKNOWN && (uint64_t)st.st_ino != h->ns) || v[k - 1] != h->pid;
}

/* One hello: its bytes and the kernel's word of who sent it. */
static int take(void)
{
	struct join_hello h;
	union {
		char buf[CMSG_SPACE(sizeof(struct ucred))];
		struct cmsghdr align;
	} u;
	struct iovec iov = {&h, sizeof h};
	struct msghdr m = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
	ssize_t n = recvmsg(M.fd, &m, MSG_DONTWAIT);
	if (n < 0)
		return errno != EAGAIN && errno != EINTR ? 0 : errno == EINTR;
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (n != sizeof h || h.magic != JOIN_HELLO_MAGIC || h.pid <= 0 || !c ||
	    c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_CREDENTIALS)
		return 1; /* not a hello of ours: skipped */
	struct ucred cr;
	memcpy(&cr, CMSG_DATA(c), sizeof cr);
	if (cr.pid <= 0 || contradicted(&h, cr.pid))
		return 1; /* a sender we cannot see, or one that is not who it says */
	struct known *e = learn(h.ns, h.pid, cr.pid);
	if (e) {
		h.comm[JOIN_COMM_MAX - 1] = 0;
		memcpy(e->comm, h.comm, sizeof e->comm);
	}
	return 1;
}

void join_nsmap_read(void)
{
	if (M.fd < 0)
		return;
	while (take())
		;
}

/* The NSpid line of /proc/<pid>/status: its pids, outermost (ours) first. */
static int nspid(pid_t pid, long *v, int max)
{
	char buf[2048];
	if (!join_proc_text(pid, "status", buf, sizeof buf))
		return 0;
	char *s = strstr(buf, "\nNSpid:");
	int k = 0;
	for (s = s ? s + 7 : NULL; s && k < max;) {
		char *end;
		long x = join_strtol(s, &end);
		if (end == s)
			break;
		v[k++] = x, s = end;
	}
	return k;
}

/* The next number of a children file, however long the file (not fscanf: glibc
 * 2.38's is __isoc23_fscanf, a version the library must not need). */
static int next_pid(FILE *f, long *out)
{
	int c;
	while ((c = getc(f)) == ' ' || c == '\n')
		;
	if (c < '0' || c > '9')
		return 0;
	for (*out = 0; c >= '0' && c <= '9'; c = getc(f))
		*out = *out * 10 + (c - '0');
	return 1;
}

/* Every child of parent's threads that lives now, learnt as parent's namespace (ns,
 * at depth below ours) numbers it. */
static void learn_children(uint64_t ns, pid_t parent, int depth)
{
	char p[64];
	snprintf(p, sizeof p, "/proc/%d/task", (int)parent);
	DIR *d = opendir(p);
	for (struct dirent *t; d && (t = readdir(d));) {
		if (t->d_name[0] == '.')
			continue;
		char q[384];
		snprintf(q, sizeof q, "%s/%s/children", p, t->d_name);
		FILE *f = fopen(q, "re");
		long kid, v[32];
		while (f && next_pid(f, &kid))
			if (nspid((pid_t)kid, v, 32) > depth)
				learn(ns, (pid_t)v[depth], (pid_t)kid);
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
}

/* A child that sent no hello, found while it lives (or is a zombie).  One look at
 * a parent serves every fork it made well before: a fork loop's batch of events
 * costs one look, not one each. */
static struct known *look(uint64_t ns, pid_t parent, pid_t local, uint64_t fork_ns)
{
	static pid_t last;
	static uint64_t last_ns;
	long v[32];
	if (!M.proc_ok || (parent == last && fork_ns + 1000000 < last_ns))
		return NULL;
	int depth = nspid(parent, v, 32) - 1; /* the parent's namespace, below ours */
	if (depth < 0)
		return NULL;
	last = parent, last_ns = join_now_ns();
	learn_children(ns, parent, depth);
	return find(ns, local);
}

int join_nsmap_event(struct join_event *ev, struct join_self *me)
{
	*me = (struct join_self){.pid = ev->pid};
	M.reaped = NULL;
	memcpy(me->comm, ev->comm, sizeof me->comm);
	if (!ev->pidns)
		return 1;
	uint64_t ns = ev->pidns;
	/* Its hello came before the event, and overrides an older process of its pid. */
	join_nsmap_read();
	struct known *w = find(ns, ev->pid);
	pid_t *child = ev->type == JOIN_EV_FORK    ? &ev->u.fork.child
	               : ev->type == JOIN_EV_REAP  ? &ev->u.reap.pid
	               : ev->type == JOIN_EV_IMAGE ? &ev->u.image.pid
	                                           : NULL;
	struct known *c = child ? find(ns, *child) : NULL;
	if (c && ev->type == JOIN_EV_FORK && c->when < ev->t_ns) {
		forget(c); /* an earlier process of that pid, whose reap we never saw */
		c = NULL;
	}
	if (child && !c && w && w->ours && ev->type == JOIN_EV_FORK)
		c = look(ns, w->ours, *child, ev->t_ns);
	if (w && ev->comm[0])
		memcpy(w->comm, ev->comm, sizeof w->comm);
	/* A name the writer could not read (its /proc is another namespace's), from
	 * the child's own hello. */
	if (ev->type == JOIN_EV_REAP && c && !ev->u.reap.comm[0])
		memcpy(ev->u.reap.comm, c->comm, sizeof c->comm);
	/* The reaping thread: ours only if it is the writer's main thread. */
	if (ev->type == JOIN_EV_REAP && ev->u.reap.tid == ev->pid && w)
		ev->u.reap.tid = w->ours;
	else if (ev->type == JOIN_EV_REAP && ev->u.reap.tid)
		me->local_tid = ev->u.reap.tid, ev->u.reap.tid = 0;
	if (w)
		me->pid = ev->pid = w->ours;
	else
		me->local_pid = ev->pid, me->pid = ev->pid = 0; /* a %p log: "0", not theirs */
	if (child && c)
		*child = c->ours;
	else if (child)
		me->local_child = *child;
	M.reaped = ev->type == JOIN_EV_REAP ? c : NULL;
	me->pidns = me->local_pid || me->local_child || me->local_tid ? ns : 0;
	return !me->pidns;
}

void join_nsmap_reaped(void)
{
	if (M.reaped)
		forget(M.reaped);
	M.reaped = NULL;
}

void join_nsmap_end(void)
{
	struct known *e, *t;
	HASH_ITER(hh, M.map, e, t)
	forget(e);
	if (M.fd >= 0) {
		close(M.fd);
		unlink(M.addr.sun_path);
	}
	M.fd = -1;
}
