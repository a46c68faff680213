/* SPDX-License-Identifier: MIT */
/* forkrec.c - fork records: a creating call's instant, its pid, how it was made. */
#include "base/config.h"
#include "base/self.h"
#include "emit.h"
#include "ring/producer.h"
#include "engine.h"
#include "log/log.h"
#include "ring/pidns.h"
#include "table/table.h"
#include "base/hotpage.h"
#include <errno.h>
#include <unistd.h>

/* The tree's ring is mapped before the first child is made, not after: the child
 * inherits it, and its own exit event (watch mode) or exec intent (JSONL, image.c)
 * costs it no mapping.  JSONL maps it at this fork's event anyway. */
uint64_t join_forkrec_begin(void)
{
	if (join_cfg.watch || join_cfg.format == JOIN_FORMAT_JSONL)
		join_producer_ring();
	return join_table_begin();
}

void join_forkrec_end(pid_t pid, uint64_t t0, int how)
{
	struct join_rec done;
	int err = errno;
	/* The kernel reaps for a program that ignores SIGCHLD: nothing to wait for. */
	int keep = pid > 0 && !__atomic_load_n(&join_autoreap, __ATOMIC_RELAXED);
	int merged = join_table_end(keep ? pid : -1, t0, how, &done);
	if (pid > 0 && !keep)
		join_sigchld_child();
	if (pid > 0) {
		join_emit_fork(pid, how, t0);
		if (merged) /* reaped before we could record it: the record is whole now */
			join_emit_reap(&done);
	}
	/* Reaps parked while we were in flight that no fork record claimed: untracked children. */
	while (join_table_stale(&done))
		join_emit_reap(&done);
	join_table_flush(join_emit_reap); /* completed by a nested handler's update */
	join_errno_restore(err);
}

/* fork.c does not call this when it would do nothing: keep its test in step. */
void join_forkrec_child(void)
{
	join_pidns_child(); /* after an unshare: our namespace is not our parent's */
	/* A wipe-on-fork hot page comes to us zeroed: nothing to reset, nothing written. */
	if (!__atomic_load_n(&join_hot_wiped, __ATOMIC_RELAXED)) {
		join_table_reset();
		join_self_forgotten();
		join_log_forgotten();
	}
}
