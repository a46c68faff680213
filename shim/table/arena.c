/* SPDX-License-Identifier: MIT */
/* arena.c - slots and blocks for the child table, from mmap, never malloc. */
#include "table/arena.h"
#include "base/hotpage.h"
#include <stdint.h>
#include <sys/mman.h>

#define SLAB        (64 * 1024)
#define FIRST_BLOCK 512 /* uthash's first bucket array: 32 buckets of 16 bytes */

struct slot {
	struct slot *next;
};

/* A small table lives on the hot page (hotpage.h): the arena's state, the first
 * bucket array and the first slots.  All zero at first, and in a forked child. */
struct hot {
	struct slot *free_slots;
	char *bump, *bump_end; /* NULL: the slots below are not begun */
	size_t mapped;
	long fail_left; /* fault injection: 0 off, else 1 + allocations that still succeed */
	/* The last block freed, kept mapped: uthash frees its buckets when the table
	 * empties and takes them back at the next insert, in a fork loop at every
	 * child (mmap, page fault, munmap and its TLB flush: 4 us a child). */
	void *spare;
	size_t spare_size;
	int block_used;
	_Alignas(16) char block[FIRST_BLOCK];
	_Alignas(16) char slots[(sizeof join_hot.arena - 64 - FIRST_BLOCK) / JOIN_SLOT * JOIN_SLOT];
};
_Static_assert(sizeof(struct hot) <= sizeof join_hot.arena, "fits its part of the hot page");
#define HOT JOIN_HOT_PART(struct hot, arena)

static void *map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	HOT.mapped += size;
	return p;
}

static size_t pages(size_t size)
{
	return (size + JOIN_PAGE - 1) & ~(size_t)(JOIN_PAGE - 1);
}

static void *slot_alloc(void)
{
	struct slot *s = HOT.free_slots;
	if (s) {
		HOT.free_slots = s->next;
		return s;
	}
	if (!HOT.bump_end) {
		HOT.bump = HOT.slots;
		HOT.bump_end = HOT.slots + sizeof HOT.slots;
	}
	if (HOT.bump == HOT.bump_end) {
		char *p = map(SLAB);
		if (!p)
			return NULL;
		HOT.bump = p;
		HOT.bump_end = p + SLAB / JOIN_SLOT * JOIN_SLOT;
	}
	s = (struct slot *)HOT.bump;
	HOT.bump += JOIN_SLOT;
	return s;
}

void *join_arena_alloc(size_t size)
{
	if (HOT.fail_left == 1)
		return NULL;
	if (HOT.fail_left > 1)
		HOT.fail_left--;
	if (size <= JOIN_SLOT)
		return slot_alloc();
	if (size <= FIRST_BLOCK && !HOT.block_used) {
		HOT.block_used = 1;
		return HOT.block;
	}
	if (HOT.spare && HOT.spare_size == pages(size)) {
		void *p = HOT.spare;
		HOT.spare = NULL;
		return p;
	}
	return map(pages(size));
}

void join_arena_free(void *p, size_t size)
{
	if (!p)
		return;
	if (size <= JOIN_SLOT) {
		struct slot *s = p;
		s->next = HOT.free_slots;
		HOT.free_slots = s;
		return;
	}
	if (p == HOT.block) {
		HOT.block_used = 0;
		return;
	}
	/* Keep the newest: after a big table empties, the small block takes its place. */
	if (HOT.spare && munmap(HOT.spare, HOT.spare_size) == 0)
		HOT.mapped -= HOT.spare_size;
	HOT.spare = p;
	HOT.spare_size = pages(size);
}

void join_arena_reset(void)
{
	HOT.free_slots = NULL;
	HOT.bump = HOT.bump_end = NULL;
	HOT.block_used = 0;
	HOT.spare = NULL;
	HOT.mapped = 0;
}

size_t join_arena_mapped(void)
{
	return HOT.mapped;
}

void join_arena_fail_after(long n)
{
	HOT.fail_left = n < 0 ? 0 : n + 1;
}
