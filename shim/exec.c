/* SPDX-License-Identifier: MIT */
/* exec.c - the exec event (exec.h): cheap, and only when JOIN_ARGV asks for it. */
#include "exec.h"
#include "ring/pidns.h"
#include "base/self.h"
#include "base/clock.h"
#include "base/config.h"
#include "emit.h"
#include "text/event.h"
#include "log/log.h"
#include "text/text.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

size_t join_argv_pack(char *out, size_t cap, int argc, char *const *argv, int *truncated)
{
	size_t n = 0;
	*truncated = 0;
	for (int i = 0; i < argc && argv[i]; i++) {
		size_t k = strlen(argv[i]) + 1;
		if (n + k > cap) {
			*truncated = 1;
			break;
		}
		memcpy(out + n, argv[i], k);
		n += k;
	}
	return n;
}

size_t join_args_cut(const char *args, size_t len, size_t cap, int *truncated)
{
	size_t n = 0;
	while (n < len) {
		size_t k = strnlen(args + n, len - n) + 1;
		if (n + k > cap) {
			*truncated = 1;
			break;
		}
		n += k;
	}
	return n > len ? len : n;
}

ssize_t join_cmdline(char *out, size_t cap, int *truncated)
{
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	char more;
	*truncated = 0;
	if (fd < 0 || cap == 0)
		return fd < 0 ? -1 : 0;
	while (n < cap) {
		ssize_t r = read(fd, out + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*truncated = n == cap && read(fd, &more, 1) > 0;
	close(fd);
	/* A program may have rewritten its arguments: end on a whole one. */
	if (n && out[n - 1] && n < cap && !*truncated)
		out[n++] = 0;
	while (n && out[n - 1]) {
		n--;
		*truncated = 1;
	}
	return (ssize_t)n;
}

/* The direct path: the whole line (up to its buffer), one write. */
static __attribute__((noinline)) void write_here(const struct join_event *ev,
                                                 const struct join_self *me, const char *args,
                                                 ssize_t len, int truncated)
{
	char line[8192];
	size_t n = join_jsonl_exec(line, sizeof line, me, ev->t_ns, args,
	                           len < 0 ? (size_t)-1 : (size_t)len, truncated);
	if (n)
		join_log_write_as(line, n, ev->pid);
}

void join_emit_exec(int argc, char **argv)
{
	if (!join_cfg.argv || join_cfg.log_kind == JOIN_LOG_OFF ||
	    join_cfg.format != JOIN_FORMAT_JSONL)
		return;
	int saved = errno, trunc = 0, cut = 0;
	char args[4096];
	struct join_self me;
	struct join_event ev;
	ssize_t len = argv ? (ssize_t)join_argv_pack(args, sizeof args, argc, argv, &trunc)
	                   : join_cmdline(args, sizeof args, &trunc);
	join_pidns_self(&me);
	memset(&ev, 0, sizeof ev);
	ev.type = JOIN_EV_EXEC;
	ev.t_ns = join_now_ns();
	ev.pid = join_self_pid();
	ev.pidns = me.pidns;
	memcpy(ev.comm, me.comm, sizeof ev.comm);
	ev.u.exec.unknown = len < 0;
	if (len >= 0) {
		size_t k = join_args_cut(args, (size_t)len, JOIN_EXEC_ARGS, &cut);
		memcpy(ev.u.exec.args, args, k);
		ev.u.exec.len = (uint16_t)k;
		ev.u.exec.truncated = (uint8_t)(trunc | cut);
	}
	if (!join_emit_ring(&ev))
		write_here(&ev, &me, args, len, trunc);
	errno = saved;
}
