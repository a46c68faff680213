/* emit.c - format a record on the stack and write it in one write(2). */
#include "emit.h"
#include "clock.h"
#include "config.h"
#include "log.h"
#include "num.h"
#include <string.h>
#include <sys/prctl.h>

void join_emit_self(struct join_self *me)
{
	me->pid = join_self_pid();
	me->comm[0] = 0;
	prctl(PR_GET_NAME, me->comm); /* a system call: the name may change at any time */
	me->comm[JOIN_COMM_MAX - 1] = 0;
}

static int jsonl(void)
{
	return join_cfg.format == JOIN_FORMAT_JSONL;
}

static __attribute__((noinline)) void emit_reap_jsonl(const struct join_rec *r)
{
	char buf[1024];
	struct join_self me;
	join_emit_self(&me);
	size_t n = join_jsonl_reap(buf, sizeof buf, &me, r->reap_ns, r);
	if (n)
		join_log_write(buf, n);
}

/* An await record is at most 330 bytes (four numbers and an exit string of 127
 * bytes, quotes doubled): a small frame keeps the reap path's stack shallow, and
 * after a fork every page of stack it reaches is one more page fault. */
void join_emit_reap(const struct join_rec *r)
{
	char buf[384];
	if (join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	if (jsonl()) {
		emit_reap_jsonl(r);
		return;
	}
	int k = join_fmt_await(buf, (int)sizeof buf - 1, r, join_cfg.style);
	if (k < 0)
		return;
	buf[k] = '\n';
	join_log_write(buf, (size_t)k + 1);
}

void join_emit_fork(pid_t child, int how, uint64_t t_ns)
{
	char buf[512];
	struct join_self me;
	if (!jsonl() || join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	join_emit_self(&me);
	size_t n = join_jsonl_fork(buf, sizeof buf, &me, t_ns, child, how);
	if (n)
		join_log_write(buf, n);
}

void join_emit_exit(const struct join_rec *r)
{
	char buf[512];
	struct join_self me;
	if (!jsonl() || join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	join_emit_self(&me);
	size_t n = join_jsonl_exit(buf, sizeof buf, &me, r->exit_ns, r);
	if (n)
		join_log_write(buf, n);
}

void join_emit_zombie(pid_t child, const char *comm, uint64_t age_ms)
{
	char buf[512];
	struct join_self me;
	if (join_cfg.log_kind == JOIN_LOG_OFF)
		return;
	join_emit_self(&me);
	if (jsonl()) {
		size_t n =
		    join_jsonl_zombie(buf, sizeof buf, &me, join_now_ns(), child, comm, age_ms);
		if (n)
			join_log_write(buf, n);
		return;
	}
	/* In the await stream a diagnostic is a '#' line, so the stream stays parsable. */
	char q[64];
	size_t k = join_quote(q, sizeof q, comm, strlen(comm));
	char line[256];
	size_t n = 0;
	const char *parts[] = {"# libjoin: zombie: child ",
	                       NULL,
	                       " ",
	                       NULL,
	                       " of ",
	                       NULL,
	                       " unreaped for ",
	                       NULL,
	                       " ms\n"};
	char a[JOIN_NUM_MAX], b[JOIN_NUM_MAX], c[JOIN_NUM_MAX];
	join_utoa(a, (uint64_t)child);
	join_utoa(b, (uint64_t)me.pid);
	join_utoa(c, age_ms);
	q[k < sizeof q ? k : sizeof q - 1] = 0;
	parts[1] = a;
	parts[3] = q;
	parts[5] = b;
	parts[7] = c;
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		for (const char *s = parts[i]; *s && n < sizeof line; s++)
			line[n++] = *s;
	join_log_write(line, n);
}
