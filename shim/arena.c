/* arena.c - slots and blocks for the child table, from mmap, never malloc. */
#include "arena.h"
#include <stdint.h>
#include <sys/mman.h>

#define SLAB (64 * 1024)

struct slot {
	struct slot *next;
};

static struct slot *free_slots;
static char *bump, *bump_end;
static size_t mapped;
static long fail_after = -1;
/* The last block freed, kept mapped: uthash frees its buckets when the table
 * empties and takes them back at the next insert, which in a fork loop is every
 * child (mmap, page fault, munmap and its TLB flush: 4 us a child). */
static void *spare;
static size_t spare_size;

static void *map(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	mapped += size;
	return p;
}

static size_t pages(size_t size)
{
	return (size + 4095) & ~(size_t)4095;
}

static void *slot_alloc(void)
{
	struct slot *s = free_slots;
	if (s) {
		free_slots = s->next;
		return s;
	}
	if (bump == bump_end) {
		char *p = map(SLAB);
		if (!p)
			return NULL;
		bump = p;
		bump_end = p + SLAB / JOIN_SLOT * JOIN_SLOT;
	}
	s = (struct slot *)bump;
	bump += JOIN_SLOT;
	return s;
}

void *join_arena_alloc(size_t size)
{
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	if (size <= JOIN_SLOT)
		return slot_alloc();
	if (spare && spare_size == pages(size)) {
		void *p = spare;
		spare = NULL;
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
		s->next = free_slots;
		free_slots = s;
		return;
	}
	/* Keep the newest: after a big table empties, the small block takes its place. */
	if (spare && munmap(spare, spare_size) == 0)
		mapped -= spare_size;
	spare = p;
	spare_size = pages(size);
}

void join_arena_reset(void)
{
	free_slots = NULL;
	bump = bump_end = NULL;
	spare = NULL;
	mapped = 0;
}

size_t join_arena_mapped(void)
{
	return mapped;
}

void join_arena_fail_after(long n)
{
	fail_after = n;
}
