/* SPDX-License-Identifier: MIT */
/* real.c - the real libc functions behind our interposers, by name and version. */
#include "engine.h"
#include "intercept.h"
#include "base/line.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *join_real[R_NREAL];

/* Names in place, not pointers: no relocation for the loader at each exec. */
static const struct {
	char name[16], version[12]; /* version "": the default one; JOIN_NOVER: none here */
	int eager;
} names[R_NREAL] = {
#define JOIN_REAL(id, sym, v_x86_64, v_aarch64, eager_)                                            \
	[R_##id] = {#sym, JOIN_VER(v_x86_64, v_aarch64), eager_},
#include "reals.def"
#undef JOIN_REAL
};

/* Our own image: a real function found inside it would call itself forever. */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern const char _end[] __attribute__((visibility("hidden")));

static void die(const char *name, const char *why)
{
	char buf[128];
	struct join_line l = JOIN_LINE(buf);
	join_line_cat(&l, "libjoin: cannot use the real ", name, ": ", why, "\n", NULL);
	if (write(2, buf, join_line_len(&l)) < 0) { /* aborting all the same */
	}
	abort();
}

/* musl has neither symbol versions nor dlvsym. */
static void *lookup(const char *name, const char *ver)
{
#ifdef __GLIBC__
	if (ver[0])
		return dlvsym(RTLD_NEXT, name, ver);
#endif
	(void)ver;
	return dlsym(RTLD_NEXT, name);
}

/* The real of slot id, kept; NULL if this libc has none. */
static void *find(int id)
{
	const char *name = names[id].name, *ver = names[id].version;
	if (!strcmp(ver, JOIN_NOVER))
		return NULL;
	void *p = lookup(name, ver);
	if (p && (const char *)p >= __ehdr_start && (const char *)p < _end)
		die(name, "the lookup returned libjoin's own wrapper");
	if (p)
		__atomic_store_n(&join_real[id], p, __ATOMIC_RELAXED);
	return p;
}

void *join_resolve(int id)
{
	void *p = find(id);
	if (!p)
		die(names[id].name, strcmp(names[id].version, JOIN_NOVER)
		                        ? "not found after libjoin in the lookup order"
		                        : "not in this libc");
	return p;
}

void *join_resolve_optional(int id)
{
	void *p = __atomic_load_n(&join_real[id], __ATOMIC_RELAXED);
	return p ? p : find(id);
}

int join_eager_done;

/* What a signal handler may reach (dlsym is not async-signal-safe), resolved when
 * the program installs a handler or makes its first child; the rest on first use.
 * Nothing at exec: a process that does neither pays nothing. */
void join_resolve_eager(void)
{
	for (int i = 0; i < R_NREAL; i++)
		if (names[i].eager && !__atomic_load_n(&join_real[i], __ATOMIC_RELAXED))
			join_resolve(i);
	__atomic_store_n(&join_libc.posix_spawn, join_real[R_posix_spawn], __ATOMIC_RELEASE);
	__atomic_store_n(&join_libc.sigaction, join_real[R_sigaction], __ATOMIC_RELEASE);
	__atomic_store_n(&join_libc.wait4, join_real[R_wait4], __ATOMIC_RELEASE);
	__atomic_store_n(&join_libc.waitid, join_real[R_waitid], __ATOMIC_RELEASE);
	__atomic_store_n(&join_eager_done, 1, __ATOMIC_RELEASE);
}
