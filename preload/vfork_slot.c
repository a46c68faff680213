/* SPDX-License-Identifier: MIT */
/*
 * vfork.c - the C half of the vfork trampoline (vfork.S).  The child of
 * vfork borrows our stack and memory until it execs or exits, so nothing
 * runs in it but the trampoline; the record is taken in the parent only.
 */
#include "engine.h"
#include "intercept.h"
#include "base/record.h"
#include "trace/propagate.h"

/* Per thread: the caller's return address, which the child's return clobbers
 * on the shared stack, and the fork instant.  initial-exec: no allocation on
 * first use, so the child may read it too. */
struct vfork_slot {
	void *ret;
	uint64_t t0;
	int active;
};
static __thread struct vfork_slot slot __attribute__((tls_model("initial-exec")));

__attribute__((visibility("hidden"))) struct vfork_slot *join_vfork_slot(void)
{
	return &slot;
}

/* Before the real vfork: returns it, to be called by the trampoline. */
__attribute__((visibility("hidden"))) void *join_vfork_pre(void)
{
	slot.active = join_ready();
	if (slot.active) {
		join_resolve_handlers();
		slot.t0 = join_forkrec_begin();
		join_prop_before_fork(slot.t0);
	}
	return join_real_get(R_vfork);
}

/* In the parent, after: pid or -1 (join_forkrec_end leaves errno as it was). */
__attribute__((visibility("hidden"))) void join_vfork_post(pid_t pid)
{
	join_prop_after_fork();
	if (slot.active)
		join_forkrec_end(pid, slot.t0, JOIN_HOW_VFORK);
}
