/* SPDX-License-Identifier: MIT */
/* rlimit.c - setrlimit and prlimit: a new RLIMIT_FSIZE makes the engine read the
 * limit again at its next record (shim/log/fsize.c).  Nothing else changes. */
#include "engine.h"
#include "intercept.h"
#include "log/log.h"
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef __GLIBC__
typedef __rlimit_resource_t resource_t;
#else
typedef int resource_t;
#endif

static void seen(int resource, const void *rl, int r)
{
	if (r == 0 && rl && resource == RLIMIT_FSIZE)
		join_fsize_forget();
}

/* Straight to the kernel's prlimit64, as glibc and musl both do on 64-bit Linux:
 * ASan's and TSan's starts call setrlimit before they are ready, so nothing on this
 * path may reach instrumented code or the lookup of a real function. */
static int kernel_prlimit(pid_t pid, int resource, const struct rlimit *rl, struct rlimit *old)
{
	return (int)syscall(SYS_prlimit64, pid, resource, rl, old);
}

INTERCEPT(int, setrlimit, resource_t resource, const struct rlimit *rl)
{
	int r = kernel_prlimit(0, (int)resource, rl, NULL);
	seen(resource, rl, r);
	return r;
}

INTERCEPT(int, prlimit, pid_t pid, resource_t resource, const struct rlimit *rl, struct rlimit *old)
{
	int r = kernel_prlimit(pid, (int)resource, rl, old);
	seen(resource, rl, r);
	return r;
}

#ifdef __GLIBC__
/* The same functions in glibc: struct rlimit64 is struct rlimit on 64-bit targets. */
_Static_assert(sizeof(struct rlimit64) == sizeof(struct rlimit), "one layout");
INTERCEPT(int, setrlimit64, resource_t resource, const struct rlimit64 *rl)
{
	return setrlimit(resource, (const struct rlimit *)rl);
}

INTERCEPT(int, prlimit64, pid_t pid, resource_t resource, const struct rlimit64 *rl,
          struct rlimit64 *old)
{
	return prlimit(pid, resource, (const struct rlimit *)rl, (struct rlimit *)old);
}
#endif
