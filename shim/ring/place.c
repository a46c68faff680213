/* SPDX-License-Identifier: MIT */
/*
 * place.c - where a process maps the ring: in a 2 MiB span (what one page
 * table covers on x86-64 and on aarch64 with 4 KiB pages) whose first page is
 * a private page of ours, already in memory.  fork copies the entries of such
 * a page, so a forked child has the span's page table; it copies none of a
 * shared mapping's, so a child's first write into the ring (its exit event in
 * a watched tree) would otherwise build a page table first.  On this
 * project's test machine that halves the cost of the write (docs/DESIGN.md).
 */
#include "ring/place.h"
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#define SPAN ((size_t)2 << 20)

static size_t up(size_t n, size_t page)
{
	return (n + page - 1) & ~(page - 1);
}

/* An address for size bytes, reserved (to be mapped over with MAP_FIXED or
 * SHM_REMAP) just after the private page at the start of a span; NULL when
 * there is none, and the caller maps where the kernel likes. */
void *join_place(struct join_place *p, size_t size)
{
	p->page = (size_t)getpagesize();
	p->len = 2 * SPAN;
	p->res = NULL;
	if (p->page + up(size, p->page) > SPAN)
		return NULL;
	void *res =
	    mmap(NULL, p->len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (res == MAP_FAILED)
		return NULL;
	p->res = res;
	char *x = (char *)(((uintptr_t)res + SPAN - 1) & ~(uintptr_t)(SPAN - 1));
	/* Populated, not written: a page in memory with no fault to take. */
	if (mmap(x, p->page, PROT_READ | PROT_WRITE,
	         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, -1, 0) == MAP_FAILED) {
		join_place_drop(p);
		return NULL;
	}
	return x + p->page;
}

/* The page and the mapping at at stay; the rest of the reservation goes. */
void join_place_keep(struct join_place *p, void *at, size_t size)
{
	char *x = (char *)at - p->page, *end = (char *)at + up(size, p->page);
	char *rend = p->res + p->len;
	if (x > p->res)
		munmap(p->res, (size_t)(x - p->res));
	if (rend > end)
		munmap(end, (size_t)(rend - end));
	p->res = NULL;
}

/* All of the reservation, and whatever was mapped in it. */
void join_place_drop(struct join_place *p)
{
	if (p->res)
		munmap(p->res, p->len);
	p->res = NULL;
}

/* A placed mapping and its page (munmap detaches a System V segment too). */
void join_place_unmap(void *at, size_t size)
{
	size_t page = (size_t)getpagesize();
	munmap((char *)at - page, page + up(size, page));
}
