/* SPDX-License-Identifier: MIT */
/*
 * image.c - a process about to exec tells the collector what it will run
 * (docs/DESIGN.md, "Accounting"): one ring slot, and only when the log is
 * JSONL, where the "opaque" mark is printed.  No system call but getpid (a
 * vfork child shares its parent's cached pid) when the ring is mapped, as it
 * is in every forked child; a process that execs before it made any child
 * (env, nice, "sh -c 'exec ...'") maps it first.  The collector judges the
 * file; nothing is read here.
 */
#include "collector/opaque.h"
#include "base/config.h"
#include "emit.h"
#include "text/event.h"
#include "ring/producer.h"
#include "ring/pidns.h"
#include "ring/ring.h"
#include <errno.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static struct join_ring *ring_for_images(int map)
{
	if (join_cfg.format != JOIN_FORMAT_JSONL || join_cfg.log_kind == JOIN_LOG_OFF)
		return NULL;
	return map ? join_producer_ring() : join_producer_mapped();
}

static void put(struct join_ring *r, pid_t pid, const char *path, int no_preload, int failed)
{
	struct join_event ev;
	memset(&ev, 0, sizeof ev);
	ev.type = JOIN_EV_IMAGE;
	ev.pid = getpid();
	ev.pidns = join_pidns_mark();
	ev.u.image.pid = pid ? pid : ev.pid;
	ev.u.image.no_preload = (uint8_t)no_preload;
	ev.u.image.failed = (uint8_t)failed;
	size_t n = path ? strnlen(path, JOIN_IMAGE_PATH) : 0;
	if (n < JOIN_IMAGE_PATH && path)
		memcpy(ev.u.image.path, path, n);
	join_emit_put(r, &ev);
}

void join_image_intent(pid_t pid, const char *path, char *const envp[])
{
	int err = errno;
	struct join_ring *r = ring_for_images(1);
	if (r) {
		char *const *env = envp ? envp : environ;
		put(r, pid, path, join_opaque_env((const char *const *)env, (size_t)-1), 0);
	}
	errno = err;
}

void join_image_failed(pid_t pid)
{
	int err = errno;
	struct join_ring *r = ring_for_images(0);
	if (r)
		put(r, pid, NULL, 0, 1);
	errno = err;
}
