/* watcher.h - between watch mode's fork-path hooks (watch.c) and its threads (watcher.c). */
#ifndef JOIN_WATCHER_H
#define JOIN_WATCHER_H
#include "ring.h"
#include <stdint.h>
#include <sys/types.h>

enum { JOIN_WATCH_OFF, JOIN_WATCH_STARTING, JOIN_WATCH_RUNNING, JOIN_WATCH_FAILED };

/* What the fork path and the threads share, in one page, made wipe-on-fork when the
 * threads start: after each fork, every page written costs a copy-on-write fault.
 * run holds the pid of the process whose threads these are (high half) and their
 * state: a forked child sees zero or another pid, so it knows it has no watcher
 * without writing anything at the fork. */
struct join_watch_hot {
	/* Page-aligned, so page-sized: the advice covers nothing else. */
	_Alignas(4096) struct join_ring ring; /* pids of new children, forking threads -> opener */
	uint64_t run;
};
extern struct join_watch_hot join_watch_hot;

/* The threads failed to set up: no more children are queued in this process. */
void join_watch_failed(void);
/* watch_alone.c: are the program's threads (all but a and b, ours) still there? */
enum { JOIN_WATCH_MAIN, JOIN_WATCH_OTHERS, JOIN_WATCH_ALONE };
int join_watch_alone(pid_t a, pid_t b);

/* From the forking thread of the first tracked child: resets the ring and the
 * slots, starts the threads.  0, or -1 after one warning. */
int join_watcher_start(void);
#endif
