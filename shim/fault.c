/* SPDX-License-Identifier: MIT */
/*
 * fault.c - fault injection and counters for the reliability tests, built
 * only with -DJOIN_FAULT (make fault-build, B=build/fault); the release
 * library compiles this file to nothing.
 *
 *	JOIN_FAULT_ARENA=N   the arena fails after N more allocations
 *	JOIN_FAULT_STATS=F   at exit, append "pid tracked reaped untracked oom
 *	                     expired live mapped" to the file F
 */
#ifdef JOIN_FAULT
#include "base/line.h"
#include "table/arena.h"
#include "base/num.h"
#include "table/table.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void fault_setup(void)
{
	const char *v = getenv("JOIN_FAULT_ARENA");
	if (v && *v)
		join_arena_fail_after(join_strtol(v, &(char *){NULL}));
}

__attribute__((destructor)) static void fault_stats(void)
{
	const char *path = getenv("JOIN_FAULT_STATS");
	struct join_counts c;
	char b[8 * JOIN_NUM_MAX + 8];
	struct join_line l = JOIN_LINE(b);
	if (!path || !*path)
		return;
	join_table_counts(&c);
	join_line_u64(&l, (uint64_t)getpid());
	uint64_t v[] = {c.tracked, c.reaped, c.untracked,        c.oom,
	                c.expired, c.live,   join_arena_mapped()};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		join_line_str(&l, " ");
		join_line_u64(&l, v[i]);
	}
	join_line_str(&l, "\n");
	size_t n = join_line_len(&l);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, b, n) < 0) {
		/* a test file: nothing to do */
	}
	close(fd);
}
#else
typedef int join_fault_not_built; /* ISO C wants a declaration in every file */
#endif
