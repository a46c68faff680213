/* SPDX-License-Identifier: MIT */
/*
 * spawn.c - posix_spawn and posix_spawnp.  On x86-64 glibc has two symbol
 * versions of each: GLIBC_2.15 (the default) and GLIBC_2.2.5 (old binaries;
 * it reports a failed exec as the child's exit 127), and each forwards to the
 * same version of libc's (JOIN_SPAWN_COMPAT, intercept.h).  Elsewhere one
 * version, the default: the names as they are.
 */
#include "engine.h"
#include "intercept.h"
#include "collector/opaque.h"
#include "base/record.h"
#include "trace/propagate.h"

typedef int spawn_fn(pid_t *, const char *, const posix_spawn_file_actions_t *,
                     const posix_spawnattr_t *, char *const[], char *const[]);

static int spawn(int id, pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
                 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	spawn_fn *real = (spawn_fn *)join_real_get(id);
	if (!join_ready())
		return real(pid, path, fa, attr, argv, envp);
	join_resolve_handlers();
	pid_t own; /* POSIX lets pid be NULL; we still want the child's */
	pid_t *pp = pid ? pid : &own;
	uint64_t t0 = join_forkrec_begin();
	int r = join_prop_spawn(real, pp, path, fa, attr, argv, envp, t0);
	join_forkrec_end(r == 0 ? *pp : -1, t0, JOIN_HOW_SPAWN);
	if (r == 0)
		join_image_intent(*pp, path, envp);
	return r;
}

#define SPAWN_ARGS                                                                                 \
	pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,                        \
	    const posix_spawnattr_t *attr, char *const argv[], char *const envp[]

#ifdef JOIN_SPAWN_COMPAT
#define SPAWN_NAME(name) joinv_##name
#else
#define SPAWN_NAME(name) name
#endif

INTERCEPT(int, SPAWN_NAME(posix_spawn), SPAWN_ARGS)
{
	return spawn(R_posix_spawn, pid, path, fa, attr, argv, envp);
}
INTERCEPT(int, SPAWN_NAME(posix_spawnp), SPAWN_ARGS)
{
	return spawn(R_posix_spawnp, pid, path, fa, attr, argv, envp);
}
#ifdef JOIN_SPAWN_COMPAT
INTERCEPT(int, joinv_posix_spawn_compat, SPAWN_ARGS)
{
	return spawn(R_posix_spawn_compat, pid, path, fa, attr, argv, envp);
}
INTERCEPT(int, joinv_posix_spawnp_compat, SPAWN_ARGS)
{
	return spawn(R_posix_spawnp_compat, pid, path, fa, attr, argv, envp);
}
__asm__(".symver joinv_posix_spawn, posix_spawn@@GLIBC_2.15");
__asm__(".symver joinv_posix_spawnp, posix_spawnp@@GLIBC_2.15");
__asm__(".symver joinv_posix_spawn_compat, posix_spawn@GLIBC_2.2.5");
__asm__(".symver joinv_posix_spawnp_compat, posix_spawnp@GLIBC_2.2.5");
#endif
