/* SPDX-License-Identifier: MIT */
/*
 * fsize.c - the file-size limit (RLIMIT_FSIZE), read once per process image
 * and again after the program changes it (setrlimit and prlimit are
 * interposed: preload/rlimit.c).  Infinite, the common case, costs a record
 * nothing more; finite, a record written to a regular file takes the slow
 * path of logwrite.c, so that our write never raises SIGXFSZ in the program.
 * In ordinary memory: limits are inherited across fork, and so is the answer.
 * A limit changed by a raw system call, or by another process through
 * prlimit(2), goes unseen (README, limits).
 */
#include "log/log.h"
#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static rlim_t limit;
static int known; /* limit holds the soft limit */

rlim_t join_fsize_limit(void)
{
	if (__atomic_load_n(&known, __ATOMIC_ACQUIRE))
		return limit;
	struct rlimit rl;
	int err = errno;
	/* The raw call: prlimit64 is the kernel's one call on every target. */
	if (syscall(SYS_prlimit64, 0, RLIMIT_FSIZE, NULL, &rl) < 0)
		rl.rlim_cur = RLIM_INFINITY;
	errno = err;
	limit = rl.rlim_cur; /* threads racing here store the same value */
	__atomic_store_n(&known, 1, __ATOMIC_RELEASE);
	return rl.rlim_cur;
}

void join_fsize_forget(void)
{
	__atomic_store_n(&known, 0, __ATOMIC_RELEASE);
}
