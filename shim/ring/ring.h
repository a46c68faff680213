/* SPDX-License-Identifier: MIT */
/*
 * ring.h - the tree's ring: a shared-memory file from every process of a
 * tree to its collector (docs/DESIGN.md, "The collector").
 *
 * The collector creates the file (O_EXCL, 0600, a random name) and names it
 * to the tree in JOIN_RING.  A process maps it at its first event and closes
 * the descriptor; a forked child inherits the mapping.  A producer reserves
 * a slot with one atomic add on tail, writes its claim (lap and pid), the
 * event, then publishes with a release store of the slot's sequence: no
 * system call.  The collector reads slots in order and wakes only when it
 * was asleep and the ring is half full, or at its own pace.
 *
 * The collector's liveness is a robust futex word: it holds the collector's
 * tid, and the kernel sets FUTEX_OWNER_DIED in it when the collector dies,
 * even by SIGKILL.  A producer that sees it dead (or the ring closed, or
 * full) writes its record itself (the direct path), and the first to see it
 * dead writes what the collector left in the ring.
 */
#ifndef JOIN_RING_H
#define JOIN_RING_H
#include "text/event.h"
#include <stdint.h>
#include <sys/types.h>

#define JOIN_RING_MAGIC   0x474e49524e494f4aull /* "JOINRING" */
#define JOIN_RING_VERSION 2
#define JOIN_RING_SLOTS   4096 /* a power of two */
#define JOIN_RING_SLACK   64   /* reservations left for producers racing the full check */
#define JOIN_RING_CLOSED  (1ull << 63)

struct join_slot {
	uint64_t seq;   /* pos + 1 once the event at pos is published */
	uint64_t claim; /* (uint32_t)pos << 32 | producer's pid (0: another pid namespace's) */
	struct join_event ev;
	char pad[256 - 16 - sizeof(struct join_event)]; /* may be empty */
};
/* A slot never straddles two pages: a watched child's exit event touches one. */
_Static_assert(sizeof(struct join_slot) == 256, "a slot is 256 bytes");

struct join_ring_head {
	uint64_t magic;
	uint32_t version, nslots, slot_size, head_size;
	int32_t collector; /* its pid, for the wake signal */
	uint32_t watch;    /* the collector watches children: they report their own exit */
	uint64_t pidns; /* the collector's pid namespace (pidns.h): pids of others are translated */
	_Alignas(64) uint64_t tail;     /* next position to reserve; JOIN_RING_CLOSED: no more */
	_Alignas(64) uint64_t head;     /* next position the collector reads */
	uint32_t sleeping;              /* the collector waits without a deadline it needs */
	_Alignas(64) void *robust_next; /* the collector's robust-list entry ... */
	uint32_t owner;                 /* ... and its futex word: the collector's tid */
	uint32_t drainer;               /* pid that writes what a dead collector left */
	_Alignas(64) uint64_t holes;    /* slots skipped: their producer died before publishing */
	uint64_t bad;                   /* slots skipped: not an event */
	uint64_t skipped; /* never claimed: a producer that gave up (it wrote its record
	                   * itself) or died between its add and its claim */
	uint64_t lost;    /* records a producer could not write itself (the direct path) */
	int32_t lost_err; /* the first one's errno; 0: its descriptor held another file */
	uint32_t lost_set;
};

struct join_ring {
	struct join_ring_head h;
	_Alignas(4096) struct join_slot slot[JOIN_RING_SLOTS];
};

#define JOIN_RING_SIZE sizeof(struct join_ring)

/* Producer: slots free for producers (0: none, or the ring is closed or dead). */
int join_ring_room(const struct join_ring *r);
/* Producer: may the ring take an event?  0 with the collector dead, the ring closed,
 * or fewer than JOIN_RING_SLACK slots free. */
int join_ring_open_for(const struct join_ring *r);
/* Producer: reserves, fills and publishes one event (self: the producer's pid, 0 in
 * another pid namespace).  1 if the collector will have it, 0 if the caller must
 * write it itself.  Async-signal-safe, no system call
 * (but the wake signal when the collector sleeps on a ring past half full). */
int join_ring_put(struct join_ring *r, const struct join_event *ev, pid_t self);
/* Is the collector alive (its robust word)? */
int join_ring_alive(const struct join_ring *r);

/* Consumer: the event at pos.  1 published (copied to *ev), 0 not yet, -1 a hole
 * (its producer is gone; counted), -2 not an event (counted). */
int join_ring_take(struct join_ring *r, uint64_t pos, struct join_event *ev, int waited_ms);
/* Consumer: marks [head, pos) read. */
void join_ring_release(struct join_ring *r, uint64_t pos);
/* Consumer: first position that cannot be reserved any more (tail without the flag). */
uint64_t join_ring_tail(const struct join_ring *r);
/* Consumer: no reservation after this; returns the final tail. */
uint64_t join_ring_close(struct join_ring *r);
/* Consumer: a fresh ring in r (zeroed memory): header and slots' sequences. */
void join_ring_init(struct join_ring *r, pid_t collector, int watch);
#endif
