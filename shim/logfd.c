/*
 * logfd.c - may the log descriptor raise SIGPIPE?  Only a pipe or a socket can,
 * and guarding every write costs three system calls (log.c), so we fstat the
 * descriptor once per process and remember the answer with its number.
 *
 * Why a remembered answer stays right: the number keeps naming the same open file
 * until the program closes it or puts another file on it.  dup2 and dup3, the ways
 * to put a file on a number in use, are interposed and make us forget (preload/
 * dup.c); a write that fails makes us forget too, so a closed number is looked at
 * again.  The answer lives on the hot page (state.h), so a forked child, which may
 * rearrange its descriptors before it execs, asks again.  What remains: a program
 * that closes the number and gets a pipe or socket on it from a later open, pipe or
 * socket, all within one process, with its reader then gone: documented in README.
 */
#include "log.h"
#include "state.h"
#include <errno.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct logfd_hot {
	int fd1;   /* the descriptor known, plus 1: 0 when nothing is */
	int plain; /* 1: neither a pipe nor a socket */
};
_Static_assert(sizeof(struct logfd_hot) <= sizeof join_hot.logfd, "fits its part of the hot page");
#define HOT JOIN_HOT_PART(struct logfd_hot, logfd)

int join_logfd_may_pipe(int fd)
{
	if (__atomic_load_n(&HOT.fd1, __ATOMIC_ACQUIRE) == fd + 1)
		return !__atomic_load_n(&HOT.plain, __ATOMIC_RELAXED);
	struct stat st;
	int err = errno;
	/* The raw call: glibc's fstat is GLIBC_2.33, one more version the loader checks
	 * at every exec; the kernel's struct stat is glibc's on 64-bit targets. */
	if (syscall(SYS_fstat, fd, &st) < 0) {
		errno = err;
		return 1; /* unknown: guard */
	}
	int plain = !S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode);
	__atomic_store_n(&HOT.plain, plain, __ATOMIC_RELAXED);
	__atomic_store_n(&HOT.fd1, fd + 1, __ATOMIC_RELEASE);
	return !plain;
}

void join_logfd_forget(int fd)
{
	if (fd < 0 || __atomic_load_n(&HOT.fd1, __ATOMIC_RELAXED) == fd + 1)
		__atomic_store_n(&HOT.fd1, 0, __ATOMIC_RELEASE);
}
