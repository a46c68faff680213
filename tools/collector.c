/* SPDX-License-Identifier: MIT */
/*
 * collector.c - joinrun is the collector of the tree it starts (docs/DESIGN.md,
 * "The collector"): it makes the ring before the command runs, names it in
 * JOIN_RING, and after the fork reads it until the command has exited and
 * the ring is drained.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "collector/collect.h"
#include "base/config.h"
#include "collector/nsmap.h"
#include "ring/ring.h"
#include "ring/ringfile.h"
#include "tools.h"

extern char **environ;
static char path[JOIN_RING_PATH_MAX];
static struct join_ring *ring;

/* After the JOIN_* variables are set: the library reads them as we do. */
int jr_collector_begin(int watch)
{
	join_config_parse(&join_cfg, environ, 0, NULL, 0); /* jr_check_env said what is bad */
	if (join_cfg.log_kind == JOIN_LOG_OFF)
		return 0; /* nothing to write: no collector needed */
	jr_sweep_rings(); /* those of joinruns killed by SIGKILL */
	if (join_ring_name(path) < 0 || !(ring = join_ring_create(path, getpid(), watch))) {
		fprintf(stderr, "joinrun: no collector (%s): each process writes its records\n",
		        strerror(errno));
		return 0;
	}
	join_nsmap_listen(path); /* before the tree starts: none says hello unheard */
	join_collect_own(ring);
	setenv("JOIN_RING", path, 1);
	return 0;
}

/* The command runs as pid: collects until it has exited (with wait_all: until the
 * whole tree has) and the ring is read; 1 when it did, with *st. */
int jr_collector_run(int pid, int subreaper, int wait_all, struct join_collect_stats *out)
{
	if (!ring)
		return 0;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct join_collect_stats st;
	if (subreaper)
		join_collect_subreaper(wait_all);
	join_collect(ring, pid, fd, &st);
	*out = st;
	if (fd >= 0)
		close(fd);
	jr_lost_add(st.lost, st.lost_err);
	join_ring_remove(path);
	if (st.holes || st.bad)
		fprintf(stderr,
		        "joinrun: %llu records lost by processes killed while writing, "
		        "%llu slots that were no record\n",
		        (unsigned long long)st.holes, (unsigned long long)st.bad);
	return 1;
}

/* The command could not be run: no tree to collect. */
void jr_collector_cancel(void)
{
	if (ring)
		join_ring_remove(path);
	join_nsmap_end();
}
