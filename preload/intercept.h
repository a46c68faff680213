/*
 * intercept.h - how every interposer is declared, in one uniform way (the
 * pattern of LLVM compiler-rt's interception layer):
 *
 *	INTERCEPT(pid_t, fork, void) { ... REAL(fork)() ... }
 *
 * defines the exported fork and uses the next definition of fork in the
 * lookup order (libc's).  The real functions a signal handler may call are
 * resolved when the program installs a handler or makes its first child
 * (join_resolve_handlers), the others on first use.  The wait family never
 * looks one up: until then it makes the raw system call (shim/libc.c).
 */
#ifndef JOIN_INTERCEPT_H
#define JOIN_INTERCEPT_H
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#define INTERCEPT(ret, name, ...) __attribute__((visibility("default"))) ret name(__VA_ARGS__)

/* One slot per real function; see real.c for the names and versions. */
enum join_real_id {
	R_fork,
	R___fork,
	R_vfork,
	R__Fork,
	R_clone,
	R_posix_spawn,
	R_posix_spawnp,
	R_posix_spawn_compat,
	R_posix_spawnp_compat,
	R_pidfd_spawn, /* optional: glibc >= 2.39 */
	R_pidfd_spawnp,
	R_system,
	R_popen,
	R_pclose,
	R_wait4,
	R_waitid,
	R_signal,
	R_sysv_signal,
	R_sigset,
	R_sigaction,
	R__exit,
	R__Exit,
	R_dup2,
	R_NREAL
};

extern void *join_real[R_NREAL];
void *join_resolve(int id);
/* An optional real (one an older libc lacks): NULL when libc has none. */
void *join_resolve_optional(int id);
void join_resolve_eager(void);

/* A handler is being installed or a child made: what a handler may reach, now. */
static inline void join_resolve_handlers(void)
{
	extern int join_eager_done;
	if (!__atomic_load_n(&join_eager_done, __ATOMIC_ACQUIRE))
		join_resolve_eager();
}

static inline void *join_real_get(int id)
{
	void *p = __atomic_load_n(&join_real[id], __ATOMIC_RELAXED);
	return p ? p : join_resolve(id);
}

#define REAL(name) ((__typeof__(&name))join_real_get(R_##name))
/* A versioned real whose C name differs from the symbol (posix_spawn@GLIBC_2.2.5). */
#define REAL_AS(id, name) ((__typeof__(&name))join_real_get(id))

/* The engine starts at the first interposed call (nothing runs at exec).
 * Returns join_active(). */
int join_ready_slow(void);
/* At exit (_exit, the destructor): started, or in a watched tree. */
int join_ready_at_exit(void);
static inline int join_ready(void)
{
	extern int join_inited;
	return __builtin_expect(__atomic_load_n(&join_inited, __ATOMIC_ACQUIRE), 1)
	           ? join_active()
	           : join_ready_slow();
}
#endif
