/* SPDX-License-Identifier: MIT */
/*
 * exitreport.c - at normal exit, the children still running and the zombies
 * never reaped (JOIN_REPORT).  A JSON "report" event when the process made
 * children; in the await stream one "#" line, only when there is something
 * to say.  _exit and fatal signals skip it: no destructor runs then.
 */
#include "base/clock.h"
#include "base/self.h"
#include "base/config.h"
#include "emit.h"
#include "engine.h"
#include "base/line.h"
#include "log/log.h"
#include "base/num.h"
#include "ring/pidns.h"
#include "base/proc.h"
#include "table/table.h"
#include "text/text.h"
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAXLIST 256

static size_t gather(struct join_live *v, size_t max)
{
	struct join_child_info info[MAXLIST];
	uint64_t now = join_now_ns();
	size_t n = join_table_list(info, max < MAXLIST ? max : MAXLIST), k = 0;
	for (size_t i = 0; i < n; i++) {
		siginfo_t si = {0};
		if (join_call_waitid(P_PID, (id_t)info[i].pid, &si, WEXITED | WNOHANG | WNOWAIT) <
		    0)
			continue; /* not ours any more: reaped by the kernel */
		struct join_live *l = &v[k++];
		l->child = info[i].pid;
		l->zombie = si.si_pid != 0;
		l->fork_ns = info[i].fork_ns;
		l->exit_ns = l->zombie ? info[i].exit_ns : 0; /* unknown unless watched */
		uint64_t since = l->zombie ? l->exit_ns : l->fork_ns;
		l->age_ms = since && now > since ? (now - since) / 1000000 : 0;
		if (join_pidns_proc_ok())
			join_proc_comm(l->child, l->comm);
		else
			l->comm[0] = 0;
	}
	return k;
}

/* "# libjoin: report: pid P: running 12 (sleep 1500 ms); zombie never reaped 13 (true
 * 20 ms)", or "(true, exit time unknown)" when it was not watched; cut where b ends but
 * ended by its newline. */
static size_t await_line(char *b, size_t cap, const struct join_live *v, size_t n)
{
	struct join_line l = {b, cap - 1, 0};
	join_line_cat(&l, JOIN_DIAG, "report: pid ", NULL);
	join_line_u64(&l, (uint64_t)join_self_pid());
	for (size_t i = 0; i < n; i++) {
		join_line_cat(&l, i ? "; " : ": ",
		              v[i].zombie ? "zombie never reaped " : "running ", NULL);
		join_line_u64(&l, (uint64_t)v[i].child);
		join_line_cat(&l, " (", v[i].comm[0] ? v[i].comm : "?", ", ", NULL);
		if (v[i].zombie && !v[i].exit_ns) {
			join_line_str(&l, "exit time unknown)");
			continue;
		}
		join_line_u64(&l, v[i].age_ms);
		join_line_str(&l, " ms)");
	}
	size_t len = join_line_len(&l);
	b[len++] = '\n';
	return len;
}

void join_exit_report(void)
{
	struct join_counts c;
	int err = errno;
	if (!join_active() || !join_cfg.report || join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	/* Most processes: nothing to say, and no system call.  Children that the kernel
	 * reaped (SIGCHLD ignored) are not in the table, but were made all the same. */
	if (join_table_idle() && !join_sigchld_made())
		return;
	if (getpid() != join_self_pid()) /* a vfork child's exit: the table is the parent's */
		return;
	join_table_flush(join_emit_reap);
	join_table_counts(&c);
	if (!c.tracked && !c.live && !join_sigchld_made())
		return;
	size_t cap = 64 * 1024;
	char *buf = mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct join_live *v = mmap(NULL, MAXLIST * sizeof *v, PROT_READ | PROT_WRITE,
	                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf != MAP_FAILED && v != MAP_FAILED) {
		size_t n = gather(v, MAXLIST), len = 0;
		if (join_cfg.format == JOIN_FORMAT_JSONL) {
			struct join_self me;
			join_pidns_self(&me);
			len = join_jsonl_report(buf, cap, &me, join_now_ns(), v, n);
		} else if (n) {
			len = await_line(buf, cap, v, n);
		}
		if (len)
			join_log_write(buf, len);
	}
	if (buf != MAP_FAILED)
		munmap(buf, cap);
	if (v != MAP_FAILED)
		munmap(v, MAXLIST * sizeof *v);
	errno = err;
}
