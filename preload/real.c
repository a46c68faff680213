/* real.c - the real libc functions behind our interposers, by name and version. */
#include "engine.h"
#include "intercept.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *join_real[R_NREAL];

/* Names in place, not pointers: no relocation for the loader at each exec. */
static const struct {
	char name[16], version[12]; /* version "": the default one */
	int eager;                  /* may be called from a signal handler: resolved early */
} names[R_NREAL] = {
    [R_fork] = {"fork", "", 1},
    [R___fork] = {"__fork", ""},
    [R_vfork] = {"vfork", ""},
    [R__Fork] = {"_Fork", "", 1},
    [R_clone] = {"clone", ""},
    [R_posix_spawn] = {"posix_spawn", "GLIBC_2.15", 1},
    [R_posix_spawnp] = {"posix_spawnp", "GLIBC_2.15"},
    [R_posix_spawn_compat] = {"posix_spawn", "GLIBC_2.2.5"},
    [R_posix_spawnp_compat] = {"posix_spawnp", "GLIBC_2.2.5"},
    [R_pidfd_spawn] = {"pidfd_spawn", "GLIBC_2.39"}, /* looked up softly: 2.36 has none */
    [R_pidfd_spawnp] = {"pidfd_spawnp", "GLIBC_2.39"},
    [R_system] = {"system", ""},
    [R_popen] = {"popen", ""},
    [R_pclose] = {"pclose", ""},
    [R_wait4] = {"wait4", "", 1},
    [R_waitid] = {"waitid", "", 1},
    [R_signal] = {"signal", "", 1},
    [R_sysv_signal] = {"sysv_signal", ""},
    [R_sigset] = {"sigset", ""},
    [R_sigaction] = {"sigaction", "", 1},
    [R_dup2] = {"dup2", "", 1},
    [R__exit] = {"_exit", "", 1}, /* a forked child must not resolve it */
    [R__Exit] = {"_Exit", "", 1},
};

/* Our own image: a real function found inside it would call itself forever. */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern const char _end[] __attribute__((visibility("hidden")));

static void die(const char *name, const char *why)
{
	const char *parts[] = {"libjoin: cannot use the real ", name, ": ", why, "\n"};
	for (size_t i = 0; i < 5; i++)
		if (write(2, parts[i], strlen(parts[i])) < 0)
			break;
	abort();
}

static void *lookup(int id)
{
	const char *name = names[id].name, *ver = names[id].version;
	void *p = ver[0] ? dlvsym(RTLD_NEXT, name, ver) : dlsym(RTLD_NEXT, name);
	if (p && (const char *)p >= __ehdr_start && (const char *)p < _end)
		die(name, "the lookup returned libjoin's own wrapper");
	if (p)
		__atomic_store_n(&join_real[id], p, __ATOMIC_RELAXED);
	return p;
}

void *join_resolve(int id)
{
	void *p = lookup(id);
	if (!p)
		die(names[id].name, "not found after libjoin in the lookup order");
	return p;
}

void *join_resolve_optional(int id)
{
	void *p = __atomic_load_n(&join_real[id], __ATOMIC_RELAXED);
	return p ? p : lookup(id);
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
