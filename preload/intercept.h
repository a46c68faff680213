/* SPDX-License-Identifier: MIT */
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
 * looks one up: until then it makes the raw system call (shim/child/libc.c).
 *
 * Adding an interposer (docs/DESIGN.md says more):
 *  1. one line in reals.def: JOIN_REAL(id, symbol, x86-64 version, aarch64
 *     version, eager); this gives the slot R_<id>, the lookup and REAL(id);
 *  2. the exported name in libjoin.map.in: into JOIN_LIBC_NAMES if libc gives it
 *     the architecture's base version, else into the node of its version in each
 *     glibc section (e.g. a GLIBC_2.39 node for pidfd_spawn, chained after
 *     GLIBC_2.34 and before LIBJOIN_1), and into the musl list if musl has it;
 *  3. the wrapper, INTERCEPT(ret, name, args) { ... REAL(name)(...) ... } in the
 *     preload file of its family; the logic goes in shim/.
 * A name absent from some libc (a newer glibc, musl) is resolved on first use
 * only (eager 0), so the library still loads where it is missing.
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

/* The per-architecture choices of the preload layer, in one place (with the
 * columns of reals.def, the sections of libjoin.map.in and of vfork.S): which
 * column of reals.def is this target's, and whether glibc keeps an older
 * posix_spawn beside the default one (x86-64 only).  musl has no versions. */
#if !defined(__GLIBC__)
#define JOIN_VER(x86_64, aarch64) ""
#elif defined(__x86_64__)
#define JOIN_VER(x86_64, aarch64) x86_64
#define JOIN_SPAWN_COMPAT         1
#elif defined(__aarch64__)
#define JOIN_VER(x86_64, aarch64) aarch64
#else
#error "libjoin: glibc symbol versions known for x86-64 and aarch64 only (reals.def)"
#endif
#define JOIN_NOVER "-"

/* One slot per real function (reals.def). */
enum join_real_id {
#define JOIN_REAL(id, sym, v_x86_64, v_aarch64, eager) R_##id,
#include "reals.def"
#undef JOIN_REAL
	R_NREAL
};

extern void *join_real[R_NREAL];
void *join_resolve(int id);
/* An optional real (one an older libc lacks): NULL when libc has none. */
void *join_resolve_optional(int id);
void join_resolve_eager(void);

/* real.c: has join_resolve_eager run? */
extern int join_eager_done;
/* A handler is being installed or a child made: what a handler may reach, now. */
static inline void join_resolve_handlers(void)
{
	if (!__atomic_load_n(&join_eager_done, __ATOMIC_ACQUIRE))
		join_resolve_eager();
}

static inline void *join_real_get(int id)
{
	void *p = __atomic_load_n(&join_real[id], __ATOMIC_RELAXED);
	return p ? p : join_resolve(id);
}

#define REAL(name) ((__typeof__(&name))join_real_get(R_##name))

/* The engine starts at the first interposed call (nothing runs at exec).
 * Returns join_active(). */
int join_ready_slow(void);
/* At exit (_exit, the destructor): started, or in a watched tree. */
int join_ready_at_exit(void);
/* ctor.c: has the engine started (join_ready_slow)? */
extern int join_inited;
static inline int join_ready(void)
{
	return __builtin_expect(__atomic_load_n(&join_inited, __ATOMIC_ACQUIRE), 1)
	           ? join_active()
	           : join_ready_slow();
}
#endif
