/* SPDX-License-Identifier: MIT */
/* producer.h - this process's side of the tree's ring (ring.h). */
#ifndef JOIN_PRODUCER_H
#define JOIN_PRODUCER_H

struct join_ring;
/* The ring named by JOIN_RING, mapped at the first call; NULL when there is none
 * or it cannot be used (the caller writes its records itself). */
struct join_ring *join_producer_ring(void);
/* The ring if this process has it mapped already, else NULL: never maps. */
struct join_ring *join_producer_mapped(void);
/* A record this process could not write itself: 1 if the tree's collector counts it
 * (and says so once for the tree), 0 if the caller must say it. */
int join_producer_lost(int err);
#endif
