/* watcher.h - between watch mode's fork-path hooks (watch.c) and its threads (watcher.c). */
#ifndef JOIN_WATCHER_H
#define JOIN_WATCHER_H
#include "ring.h"

/* Pids of new children, from the forking threads to the opener thread. */
extern struct join_ring join_watch_ring;

enum { JOIN_WATCH_OFF, JOIN_WATCH_STARTING, JOIN_WATCH_RUNNING, JOIN_WATCH_FAILED };
extern int join_watch_state;

/* From the forking thread of the first tracked child: resets the ring and the
 * slots, starts the threads.  0, or -1 after one warning. */
int join_watcher_start(void);
#endif
