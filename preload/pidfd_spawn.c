/* SPDX-License-Identifier: MIT */
/*
 * pidfd_spawn.c - pidfd_spawn and pidfd_spawnp (glibc >= 2.39): posix_spawn
 * that hands back a pidfd instead of a pid.  The real ones are looked up at
 * the first call, so the same library loads on an older glibc; there a
 * program can only reach ours by dlsym, and gets ENOSYS.
 */
#include "engine.h"
#include "intercept.h"
#include "base/proc.h"
#include "base/record.h"
#include <errno.h>
#ifdef __GLIBC__ /* musl has none */

typedef int pidfd_spawn_fn(int *, const char *, const posix_spawn_file_actions_t *,
                           const posix_spawnattr_t *, char *const[], char *const[]);

static int spawn(int id, int how, int *fd, const char *path, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	pidfd_spawn_fn *real = (pidfd_spawn_fn *)join_resolve_optional(id);
	if (!real)
		return ENOSYS;
	if (!join_ready())
		return real(fd, path, fa, attr, argv, envp);
	join_resolve_handlers();
	uint64_t t0 = join_forkrec_begin();
	int r = real(fd, path, fa, attr, argv, envp);
	/* The child's pid, from its pidfd: the kernel's (no descriptor of ours). */
	join_forkrec_end(r == 0 ? join_proc_pidfd_pid(*fd) : -1, t0, how);
	return r;
}

#define PIDFD_SPAWN_ARGS                                                                           \
	int *fd, const char *path, const posix_spawn_file_actions_t *fa,                           \
	    const posix_spawnattr_t *attr, char *const argv[], char *const envp[]

INTERCEPT(int, pidfd_spawn, PIDFD_SPAWN_ARGS)
{
	return spawn(R_pidfd_spawn, JOIN_HOW_PIDFD_SPAWN, fd, path, fa, attr, argv, envp);
}
INTERCEPT(int, pidfd_spawnp, PIDFD_SPAWN_ARGS)
{
	return spawn(R_pidfd_spawnp, JOIN_HOW_PIDFD_SPAWNP, fd, path, fa, attr, argv, envp);
}
#endif
