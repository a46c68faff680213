/* SPDX-License-Identifier: MIT */
/* self.c - this process's pid, cached (self.h).  The lowest room's: every writer
 * names itself, and nothing here calls anything of ours. */
#include "base/self.h"
#include "base/hotpage.h"
#include <unistd.h>

struct self_hot {
	pid_t pid;
};
_Static_assert(sizeof(struct self_hot) <= sizeof join_hot.self, "fits its part of the hot page");
#define HOT JOIN_HOT_PART(struct self_hot, self)

/* Threads may fill the cache at once, with the same value: relaxed atomics. */
pid_t join_self_pid(void)
{
	pid_t p = __atomic_load_n(&HOT.pid, __ATOMIC_RELAXED);
	if (!p) {
		p = getpid();
		__atomic_store_n(&HOT.pid, p, __ATOMIC_RELAXED);
	}
	return p;
}

void join_self_forgotten(void)
{
	HOT.pid = 0;
}
