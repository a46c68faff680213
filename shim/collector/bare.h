/* SPDX-License-Identifier: MIT */
/* bare.h - a collector started by the root of a tree that has no joinrun (bare.c). */
#ifndef JOIN_BARE_H
#define JOIN_BARE_H
#include "ring/ringfile.h"

/* From the root's constructor (JOIN_WATCH=1, no JOIN_RING): starts the collector;
 * path receives the ring's name for JOIN_RING.  -1: no collector (one JOIN_DIAG line
 * says why) and path is "none", which tells the tree not to try again. */
int join_bare_start(char path[JOIN_RING_PATH_MAX]);
/* The root is exiting: waits (a second at most) until its collector has read the
 * ring.  Nothing in any other process. */
void join_bare_exit(void);
#endif
