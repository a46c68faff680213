/* real.c - the real libc functions behind our interposers, by name and version. */
#include "engine.h"
#include "intercept.h"
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void *join_real[R_NREAL];

static const struct {
	const char *name, *version; /* version NULL: the default one */
	int eager;                  /* may be called from a signal handler: resolve at load */
} names[R_NREAL] = {
    [R_fork] = {"fork", NULL, 1},
    [R___fork] = {"__fork", NULL},
    [R_vfork] = {"vfork", NULL},
    [R__Fork] = {"_Fork", NULL, 1},
    [R_clone] = {"clone", NULL},
    [R_posix_spawn] = {"posix_spawn", "GLIBC_2.15", 1},
    [R_posix_spawnp] = {"posix_spawnp", "GLIBC_2.15"},
    [R_posix_spawn_compat] = {"posix_spawn", "GLIBC_2.2.5"},
    [R_posix_spawnp_compat] = {"posix_spawnp", "GLIBC_2.2.5"},
    [R_system] = {"system", NULL},
    [R_popen] = {"popen", NULL},
    [R_pclose] = {"pclose", NULL},
    [R_wait4] = {"wait4", NULL, 1},
    [R_waitid] = {"waitid", NULL, 1},
    [R_signal] = {"signal", NULL, 1},
    [R_sysv_signal] = {"sysv_signal", NULL},
    [R_sigset] = {"sigset", NULL},
    [R_sigaction] = {"sigaction", NULL, 1},
    [R__exit] = {"_exit", NULL, 1}, /* a forked child must not resolve it */
    [R__Exit] = {"_Exit", NULL, 1},
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

void *join_resolve(int id)
{
	const char *name = names[id].name, *ver = names[id].version;
	void *p = ver ? dlvsym(RTLD_NEXT, name, ver) : dlsym(RTLD_NEXT, name);
	if (!p)
		die(name, "not found after libjoin in the lookup order");
	if ((const char *)p >= __ehdr_start && (const char *)p < _end)
		die(name, "the lookup returned libjoin's own wrapper");
	__atomic_store_n(&join_real[id], p, __ATOMIC_RELAXED);
	return p;
}

/* Only what a signal handler may reach is resolved at load (dlsym is not
 * async-signal-safe); the rest on first use.  Every exec pays for these. */
void join_resolve_eager(void)
{
	for (int i = 0; i < R_NREAL; i++)
		if (names[i].eager && !join_real[i])
			join_resolve(i);
}
