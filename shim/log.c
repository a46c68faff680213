/* log.c - one write per record to a descriptor or an opened-and-closed path. */
#include "log.h"
#include "line.h"
#include "errtext.h"
#include <sys/syscall.h>
#include "config.h"
#include "num.h"
#include "state.h"
#include "text.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

/* On the hot page (state.h): a forked child finds them zero, forgotten. */
struct log_hot {
	pid_t self;
	int warned; /* one warning per process for a failing log */
};
_Static_assert(sizeof(struct log_hot) <= sizeof join_hot.log, "fits its part of the hot page");
#define HOT JOIN_HOT_PART(struct log_hot, log)

/* Threads may fill the cache at once, with the same value: relaxed atomics. */
pid_t join_self_pid(void)
{
	pid_t p = __atomic_load_n(&HOT.self, __ATOMIC_RELAXED);
	if (!p) {
		p = getpid();
		__atomic_store_n(&HOT.self, p, __ATOMIC_RELAXED);
	}
	return p;
}

void join_self_forgotten(void)
{
	HOT.self = 0;
	HOT.warned = 0;
}

/* The path with %p replaced by pid and %% by %. */
static int expand(char *out, size_t cap, const char *in, pid_t pid)
{
	size_t n = 0;
	for (; *in; in++) {
		if (n + 24 >= cap)
			return -1;
		if (in[0] == '%' && in[1] == 'p') {
			n += join_utoa(out + n, (uint64_t)pid);
			in++;
		} else if (in[0] == '%' && in[1] == '%') {
			out[n++] = '%';
			in++;
		} else {
			out[n++] = *in;
		}
	}
	out[n] = 0;
	return 0;
}

ssize_t join_write_all(int fd, const char *buf, size_t len)
{
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		done += (size_t)w;
	}
	return (ssize_t)done;
}

/* A log descriptor may be a pipe whose reader is gone: the SIGPIPE is ours, not
 * the program's.  Block it for the write and take it back if we raised it; only
 * for a pipe or a socket (logfd.c): a file or a terminal raises none. */
static int write_fd(int fd, const char *buf, size_t len)
{
	sigset_t pipe, old, pending;
	int r;
	if (!join_logfd_may_pipe(fd)) {
		if ((r = join_write_all(fd, buf, len) < 0 ? -1 : 0) < 0)
			join_logfd_forget(fd); /* closed, maybe to be reused: look again */
		return r;
	}
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &pipe, &old, _NSIG / 8);
	sigpending(&pending);
	int was = sigismember(&pending, SIGPIPE);
	r = join_write_all(fd, buf, len) < 0 ? -1 : 0;
	if (r < 0 && errno == EPIPE && !was) {
		struct timespec zero = {0, 0};
		sigtimedwait(&pipe, NULL, &zero);
	}
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, _NSIG / 8);
	return r;
}

/* Straight to stderr: the log is what failed. */
static __attribute__((noinline)) void failed(const char *what, int err)
{
	char buf[PATH_MAX + 128];
	struct join_line l = {buf, sizeof buf - 1, 0};
	/* O_NOFOLLOW's refusal: ELOOP's own text ("Too many levels") would hide why. */
	char tmp[32];
	const char *why = err == ELOOP ? "a symbolic link, not followed" : join_errtext(err, tmp);
	if (__atomic_exchange_n(&HOT.warned, 1, __ATOMIC_RELAXED)) /* one, whichever thread fails */
		return;
	join_line_cat(&l, JOIN_DIAG, "JOIN_LOG=", what, ": ", why, "; records lost", NULL);
	size_t n = join_line_len(&l);
	buf[n++] = '\n';
	write_fd(2, buf, n);
}

/* O_NOFOLLOW: a link planted where the log goes (a world-writable /tmp) must not
 * make us append to its target. */
#define LOG_FLAGS (O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW)

/* A path with %p is expanded in a buffer of PATH_MAX, in a frame of its own so that
 * other paths do not take 4 KB more stack: after every fork each page of stack that
 * we write is one more page fault. */
static __attribute__((noinline)) int open_expanded(pid_t pid)
{
	char path[PATH_MAX];
	if (expand(path, sizeof path, join_cfg.log_path, pid) < 0) {
		failed(join_cfg.log_path, ENAMETOOLONG);
		return -1;
	}
	int fd = open(path, LOG_FLAGS, 0666);
	if (fd < 0)
		failed(path, errno);
	return fd;
}

static int open_log(void)
{
	if (strchr(join_cfg.log_path, '%'))
		return open_expanded(join_self_pid());
	int fd = join_log_open(join_cfg.log_path);
	if (fd < 0)
		failed(join_cfg.log_path, errno);
	return fd;
}

static int write_log(const char *buf, size_t len)
{
	int fd, r, err = errno;
	if (join_cfg.log_kind == JOIN_LOG_OFF)
		return 0;
	if (join_cfg.log_kind == JOIN_LOG_FD) {
		r = write_fd(join_cfg.log_fd, buf, len);
		if (r < 0 && join_cfg.log_fd != 2) {
			char name[3 + JOIN_NUM_MAX] = "fd:"; /* as it was given: fd:99 */
			int e = errno;
			join_utoa(name + 3, (uint64_t)join_cfg.log_fd);
			failed(name, e);
		}
		join_errno_restore(err);
		return r;
	}
	fd = open_log();
	if (fd < 0) {
		join_errno_restore(err);
		return -1;
	}
	r = join_write_all(fd, buf, len) < 0 ? -1 : 0; /* a regular file: no SIGPIPE to fear */
	if (r < 0)
		failed(join_cfg.log_path, errno);
	close(fd);
	join_errno_restore(err);
	return r;
}

int join_log_open(const char *path)
{
	return open(path, LOG_FLAGS, 0666);
}

void join_log_write_as(const char *buf, size_t len, pid_t pid)
{
	if (join_cfg.log_kind != JOIN_LOG_PATH || pid == join_self_pid() ||
	    !strchr(join_cfg.log_path, '%')) {
		write_log(buf, len);
		return;
	}
	int err = errno;
	int fd = open_expanded(pid);
	if (fd >= 0) {
		if (join_write_all(fd, buf, len) < 0)
			failed(join_cfg.log_path, errno);
		close(fd);
	}
	join_errno_restore(err);
}

void join_log_write(const char *buf, size_t len)
{
	write_log(buf, len);
}

/* In a JSONL log a diagnostic is a warning event, line by line (jq reads every line);
 * what the log refuses goes to stderr as the "#" line. */
static __attribute__((noinline)) void warn_jsonl(const char *line, size_t len)
{
	char ev[2048];
	while (len) {
		const char *nl = memchr(line, '\n', len);
		size_t k = nl ? (size_t)(nl - line) + 1 : len, n;
		n = join_warning_jsonl(ev, sizeof ev, line, k);
		if (!n || write_log(ev, n) < 0)
			write_fd(2, line, k);
		line += k;
		len -= k;
	}
}

void join_log_warn(const char *line, size_t len)
{
	int err = errno;
	if (join_cfg.log_kind != JOIN_LOG_OFF && join_cfg.format == JOIN_FORMAT_JSONL)
		warn_jsonl(line, len);
	else if (join_cfg.log_kind == JOIN_LOG_OFF || write_log(line, len) < 0)
		write_fd(2, line, len);
	errno = err;
}
