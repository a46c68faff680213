/* SPDX-License-Identifier: MIT */
/*
 * arena.h - memory for the child table without malloc: fixed-size slots
 * carved from mmap'd slabs, larger blocks (hash buckets) mmap'd whole; the
 * first slots and the first bucket array on a static page (hotpage.h).
 * mmap and munmap are system calls, so this is async-signal-safe; callers
 * serialise (the table lock).
 */
#ifndef JOIN_ARENA_H
#define JOIN_ARENA_H
#include <stddef.h>

#define JOIN_SLOT 80 /* largest small object: a table entry or uthash's table header */

void *join_arena_alloc(size_t size);
void join_arena_free(void *p, size_t size);
/* In a forked child: forget everything (the parent's memory stays mapped, unused). */
void join_arena_reset(void);
/* Bytes mapped now, for the benchmarks and the scale test. */
size_t join_arena_mapped(void);
/* Fault injection (tests only): fail after this many more slot allocations; -1 off. */
void join_arena_fail_after(long n);
#endif
