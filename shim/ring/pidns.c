/* SPDX-License-Identifier: MIT */
/*
 * pidns.c - whose pid numbers this process writes (pidns.h).
 *
 * The verdict is taken once per process, at its first event: one stat of
 * /proc/self/ns/pid against the namespace the collector wrote in the ring's
 * head (or, without a ring, the initial namespace).  It lives outside the hot
 * page, so a forked child inherits it without a write: a child is in its
 * parent's namespace unless the parent unshared or entered another one
 * (interposed unshare and setns say so), or a clone asked for CLONE_NEWPID.
 */
#include "ring/pidns.h"
#include "base/self.h"
#include "base/config.h"
#include "text/text.h"
#include "base/num.h"
#include "ring/producer.h"
#include "ring/ring.h"
#include "base/hotpage.h"
#include "base/sys.h"
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/time.h>

enum { UNKNOWN, SAME, OTHER };

static struct {
	uint64_t ns; /* ours, when OTHER */
	int state;   /* UNKNOWN, SAME, OTHER */
	int proc;    /* /proc shows our namespace: UNKNOWN, SAME (yes), OTHER (no) */
	pid_t hello; /* the pid we said hello as */
	pid_t said;  /* the writer whose namespace the await stream was told of */
	int kids;    /* our children are born in another namespace */
} S;

static __attribute__((noinline)) uint64_t first_mark(void)
{
	int err = errno;
	struct join_ring *r = join_producer_ring();
	uint64_t ref = r ? r->h.pidns : JOIN_PIDNS_INIT, ns = join_pidns_own();
	/* Threads and handlers may race here: they write the same answer. */
	S.ns = ns;
	__atomic_store_n(&S.state, ns == ref ? SAME : OTHER, __ATOMIC_RELEASE);
	join_errno_restore(err);
	return ns == ref ? 0 : ns;
}

/* On the child path: a watched child's exit event asks, and must not fault in
 * another page of our text to hear the answer its parent found. */
JOIN_CHILD_PATH uint64_t join_pidns_mark(void)
{
	int s = __atomic_load_n(&S.state, __ATOMIC_ACQUIRE);
	if (s == SAME)
		return 0;
	return s == OTHER ? S.ns : first_mark();
}

int join_pidns_say(pid_t pid)
{
	if (__atomic_load_n(&S.said, __ATOMIC_RELAXED) == pid)
		return 0;
	__atomic_store_n(&S.said, pid, __ATOMIC_RELAXED);
	return 1;
}

/* /proc/self names us by our pid in the namespace of the /proc mount. */
int join_pidns_proc_names(pid_t self)
{
	char buf[24];
	long n = join_sys_readlink("/proc/self", buf, sizeof buf - 1);
	if (n <= 0)
		return 0;
	uint64_t v = 0;
	for (long i = 0; i < n; i++) {
		if (buf[i] < '0' || buf[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(buf[i] - '0');
	}
	return v == (uint64_t)self;
}

int join_pidns_proc_ok(void)
{
	if (!join_pidns_mark())
		return 1; /* the reference's namespace: /proc as it always was */
	int p = __atomic_load_n(&S.proc, __ATOMIC_ACQUIRE);
	if (p == UNKNOWN) {
		int err = errno;
		p = join_pidns_proc_names(join_self_pid()) ? SAME : OTHER;
		__atomic_store_n(&S.proc, p, __ATOMIC_RELEASE);
		join_errno_restore(err);
	}
	return p == SAME;
}

int join_pidns_addr(const char *ring_path, struct sockaddr_un *a)
{
	size_t n = strlen(ring_path);
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	if (n + sizeof ".s" > sizeof a->sun_path)
		return 0;
	memcpy(a->sun_path, ring_path, n);
	memcpy(a->sun_path + n, ".s", sizeof ".s");
	return 1;
}

static long send_hello(int fd, const struct join_hello *h, const struct sockaddr_un *a, int flags)
{
	return syscall(SYS_sendto, fd, h, sizeof *h, flags | MSG_NOSIGNAL, a, sizeof *a);
}

/* One datagram on a socket opened and closed here: no descriptor stays.  A full
 * queue (a collector busy) gets a short wait, not a lost hello. */
void join_pidns_hello(const char *ring_path, pid_t self, uint64_t ns)
{
	struct sockaddr_un a;
	if (__atomic_load_n(&S.hello, __ATOMIC_ACQUIRE) == self || !join_pidns_addr(ring_path, &a))
		return;
	__atomic_store_n(&S.hello, self, __ATOMIC_RELEASE);
	int err = errno;
	struct join_hello h = {.magic = JOIN_HELLO_MAGIC, .ns = ns, .pid = self};
	prctl(PR_GET_NAME, h.comm);
	h.comm[JOIN_COMM_MAX - 1] = 0;
	int fd = join_sys_socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC);
	if (fd >= 0) {
		if (send_hello(fd, &h, &a, MSG_DONTWAIT) < 0 && errno == EAGAIN) {
			struct timeval tv = {0, 200000};
			syscall(SYS_setsockopt, fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
			send_hello(fd, &h, &a, 0);
		}
		close(fd);
	}
	errno = err;
}

void join_pidns_kids_elsewhere(void)
{
	__atomic_store_n(&S.kids, 1, __ATOMIC_RELEASE);
	/* A forked child runs join_forkrec_child only when the hot page is not
	 * wiped: from now on each one does, and takes its verdict again (the
	 * advice first, so that the first fork does not set the flag back). */
	join_hot_wipe();
	__atomic_store_n(&join_hot_wiped, 0, __ATOMIC_RELEASE);
}

JOIN_CHILD_PATH int join_pidns_unshared(void)
{
	return __atomic_load_n(&S.kids, __ATOMIC_RELAXED);
}

void join_pidns_forget(void)
{
	S.state = UNKNOWN;
	S.proc = UNKNOWN;
}

void join_pidns_child(void)
{
	if (!__atomic_load_n(&S.kids, __ATOMIC_RELAXED))
		return;
	S.kids = 0; /* our own children are born in our namespace */
	join_pidns_forget();
}

void join_pidns_self(struct join_self *me)
{
	*me = (struct join_self){.pid = join_self_pid(), .pidns = join_pidns_mark()};
	if (me->pidns && join_cfg.ring_path[0]) /* the log's pids are the collector's */
		me->local_pid = me->pid, me->pid = 0;
	prctl(PR_GET_NAME, me->comm); /* a system call: the name may change at any time */
	me->comm[JOIN_COMM_MAX - 1] = 0;
}
