/* SPDX-License-Identifier: MIT */
/*
 * logwrite.c - one record written to a log descriptor without a signal in the
 * program.  A write to a pipe or socket whose reader is gone raises SIGPIPE; a
 * write to a regular file at or past RLIMIT_FSIZE raises SIGXFSZ.  Both
 * would be ours, not the program's, and both kill by default.
 *
 * The common case (a file, no limit; a terminal) is one write.  Otherwise the
 * signal is blocked for the write, and taken back only if our write raised it
 * (EPIPE, EFBIG) and it was not pending before: a signal of the program's
 * stays.  Both signals are sent to the writing thread, and a blocked one
 * waits in its queue, so the sigtimedwait takes ours.  Under a finite limit a
 * record that would cross it is not written at all (EFBIG): a cut line would
 * spoil the log for its readers.
 */
#include "log/log.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

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

/* Where the write lands: the end of the file when it appends, else the offset. */
static off_t landing(int fd, const struct stat *st, int append)
{
	if (append < 0)
		append = (fcntl(fd, F_GETFL) & O_APPEND) != 0;
	off_t at = append ? st->st_size : lseek(fd, 0, SEEK_CUR);
	return at < 0 ? st->st_size : at;
}

/* Would len bytes at the landing place cross the limit? */
static int too_big(int fd, const struct stat *st, int append, size_t len)
{
	rlim_t lim = join_fsize_limit();
	off_t at = landing(fd, st, append);
	return (rlim_t)at >= lim || len > lim - (rlim_t)at;
}

static void take_back(int sig)
{
	sigset_t one;
	struct timespec zero = {0, 0};
	sigemptyset(&one);
	sigaddset(&one, sig);
	sigtimedwait(&one, NULL, &zero);
}

int join_write_guarded(int fd, const char *buf, size_t len, const struct stat *st, int append)
{
	int pipe = S_ISFIFO(st->st_mode) || S_ISSOCK(st->st_mode);
	int fsz = S_ISREG(st->st_mode) && join_fsize_limit() != RLIM_INFINITY;
	if (!pipe && !fsz)
		return join_write_all(fd, buf, len) < 0 ? -1 : 0;
	if (fsz && too_big(fd, st, append, len)) {
		errno = EFBIG;
		return -1;
	}
	sigset_t set, old, pending;
	sigemptyset(&set);
	sigaddset(&set, pipe ? SIGPIPE : SIGXFSZ);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, &old, _NSIG / 8);
	sigpending(&pending);
	int was = sigismember(&pending, pipe ? SIGPIPE : SIGXFSZ);
	int r = join_write_all(fd, buf, len) < 0 ? -1 : 0, err = errno;
	if (r < 0 && !was && (pipe ? err == EPIPE : err == EFBIG))
		take_back(pipe ? SIGPIPE : SIGXFSZ);
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, _NSIG / 8);
	errno = err;
	return r;
}
