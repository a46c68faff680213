/* SPDX-License-Identifier: MIT */
/* log.c - one write per record to a descriptor or an opened-and-closed path; a
 * record that cannot be written is counted and said once. */
#include "log/log.h"
#include "base/self.h"
#include "base/line.h"
#include "text/strerror.h"
#include <sys/syscall.h>
#include "base/config.h"
#include "base/num.h"
#include "log/pathpid.h"
#include "base/hotpage.h"
#include "text/text.h"
#include <errno.h>
#include <fcntl.h>
#include "ring/producer.h"
#include "base/sys.h"
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* On the hot page (hotpage.h): a forked child finds them zero, forgotten. */
struct log_hot {
	int warned; /* one warning per process for a failing log */
};
_Static_assert(sizeof(struct log_hot) <= sizeof join_hot.log, "fits its part of the hot page");
#define HOT JOIN_HOT_PART(struct log_hot, log)

void join_log_forgotten(void)
{
	HOT.warned = 0;
}

/* What this process lost (the collector's stats read it: join_log_lost). */
static struct {
	uint64_t n;
	int err; /* the first reason; 0: the descriptor is another file now */
} lost;
int join_log_quiet;

uint64_t join_log_lost(int *err)
{
	if (err)
		*err = lost.err;
	return __atomic_load_n(&lost.n, __ATOMIC_RELAXED);
}

/* Diagnostics go to stderr only while it is the stderr of the load: never into a
 * file the program has put on descriptor 2. */
void join_stderr_write(const char *buf, size_t len)
{
	struct stat st;
	if (join_logfd_check(2, &st) == 0)
		join_write_guarded(2, buf, len, &st, -1);
}

static const char *reason(int err, char tmp[32])
{
	/* O_NOFOLLOW's refusal: ELOOP's own text ("Too many levels") would hide why. */
	if (err == ELOOP)
		return "a symbolic link, not followed";
	if (err == ENXIO)
		return "a FIFO with no reader (not waited for)";
	if (!err)
		return "the program has put another file on it since the start";
	return join_strerror(err, tmp);
}

/* A record lost: counted; said once per process, on stderr when it is safe, or
 * by the tree's collector when there is one (it sums what its tree lost). */
static __attribute__((noinline)) void failed(const char *what, int err)
{
	char buf[PATH_MAX + 128], tmp[32];
	struct join_line l = {buf, sizeof buf - 1, 0};
	if (!__atomic_fetch_add(&lost.n, 1, __ATOMIC_RELAXED))
		lost.err = err;
	if (join_log_quiet || join_producer_lost(err))
		return;
	if (__atomic_exchange_n(&HOT.warned, 1, __ATOMIC_RELAXED)) /* one, whichever thread fails */
		return;
	join_line_cat(&l, JOIN_DIAG, "JOIN_LOG=", what, ": ", reason(err, tmp), "; records lost",
	              NULL);
	size_t n = join_line_len(&l);
	buf[n++] = '\n';
	join_stderr_write(buf, n);
}

/* O_NOFOLLOW: a link planted where the log goes (a world-writable /tmp) must not
 * make us append to its target. */
#define LOG_FLAGS (O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW)

/* O_NONBLOCK: a FIFO with no reader must not hold the program in open (ENXIO
 * instead); on anything but a regular file the flag is taken off again, so that a
 * record waits for a slow reader as it would on stderr. */
static int open_st(const char *path, struct stat *st)
{
	int fd = open(path, LOG_FLAGS | O_NONBLOCK, 0666);
	if (fd < 0)
		return -1;
	if (join_sys_fstat(fd, st) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st->st_mode))
		fcntl(fd, F_SETFL, O_APPEND);
	return fd;
}

/* One record to a log file we opened: it appends. */
static int write_file(int fd, const char *buf, size_t len, const struct stat *st, const char *name)
{
	int r = join_write_guarded(fd, buf, len, st, 1);
	if (r < 0)
		failed(name, errno);
	close(fd);
	return r;
}

/* A path with %p is expanded in a buffer of PATH_MAX, in a frame of its own so that
 * other paths do not take 4 KB more stack: after every fork each page of stack that
 * we write is one more page fault. */
static __attribute__((noinline)) int open_expanded(pid_t pid, struct stat *st)
{
	char path[PATH_MAX], num[JOIN_NUM_MAX];
	join_utoa(num, (uint64_t)pid);
	if (join_path_pid(path, sizeof path, join_cfg.log_path, num, 0) < 0) {
		failed(join_cfg.log_path, ENAMETOOLONG);
		return -1;
	}
	int fd = open_st(path, st);
	if (fd < 0)
		failed(path, errno);
	return fd;
}

static int open_log(struct stat *st)
{
	if (strchr(join_cfg.log_path, '%'))
		return open_expanded(join_self_pid(), st);
	int fd = open_st(join_cfg.log_path, st);
	if (fd < 0)
		failed(join_cfg.log_path, errno);
	return fd;
}

/* A record to stderr or fd:N: only while the number holds the file it held at
 * load (logfd.c). */
static int write_fd(int fd, const char *buf, size_t len)
{
	struct stat st;
	int k = join_logfd_check(fd, &st), r = -1, e = k == -2 ? 0 : errno;
	if (k == 0 && (r = join_write_guarded(fd, buf, len, &st, -1)) < 0)
		e = errno;
	if (r < 0) {
		char name[3 + JOIN_NUM_MAX] = "fd:"; /* as it was given: fd:99 */
		join_utoa(name + 3, (uint64_t)fd);
		failed(fd == 2 ? "stderr" : name, e);
	}
	return r;
}

static int write_log(const char *buf, size_t len)
{
	int fd, r = -1, err = errno;
	struct stat st;
	if (join_cfg.log_kind == JOIN_LOG_OFF)
		return 0;
	if (join_cfg.log_kind == JOIN_LOG_FD)
		r = write_fd(join_cfg.log_fd, buf, len);
	else if ((fd = open_log(&st)) >= 0)
		r = write_file(fd, buf, len, &st, join_cfg.log_path);
	join_errno_restore(err);
	return r;
}

int join_log_open(const char *path)
{
	struct stat st;
	return open_st(path, &st);
}

void join_log_write_as(const char *buf, size_t len, pid_t pid)
{
	if (join_cfg.log_kind != JOIN_LOG_PATH || pid == join_self_pid() ||
	    !strchr(join_cfg.log_path, '%')) {
		write_log(buf, len);
		return;
	}
	int err = errno;
	struct stat st;
	int fd = open_expanded(pid, &st);
	if (fd >= 0)
		write_file(fd, buf, len, &st, join_cfg.log_path);
	join_errno_restore(err);
}

void join_log_write(const char *buf, size_t len)
{
	write_log(buf, len);
}

int join_log_put(const char *buf, size_t len)
{
	return join_cfg.log_kind == JOIN_LOG_OFF || write_log(buf, len) < 0 ? -1 : 0;
}
