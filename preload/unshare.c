/* SPDX-License-Identifier: MIT */
/* unshare.c - unshare(CLONE_NEWPID) (GLIBC_2.4 on x86-64): the children made after it are born in
 * another pid namespace, and take their own verdict (shim/ring/pidns.c).  setns,
 * rarer, would need a symbol version node of its own (GLIBC_2.14): a child of
 * setns that execs takes its verdict all the same; see README. */
#include "engine.h"
#include "intercept.h"
#include "ring/pidns.h"
#include <sched.h>

INTERCEPT(int, unshare, int flags)
{
	int r = REAL(unshare)(flags);
	if (r == 0 && (flags & CLONE_NEWPID))
		join_pidns_kids_elsewhere();
	return r;
}
