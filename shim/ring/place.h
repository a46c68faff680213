/* SPDX-License-Identifier: MIT */
#ifndef JOIN_PLACE_H
#define JOIN_PLACE_H
#include <stddef.h>

/* Where the ring is mapped (place.c). */
struct join_place {
	char *res; /* the reservation, NULL when there is none */
	size_t len, page;
};
void *join_place(struct join_place *p, size_t size);
void join_place_keep(struct join_place *p, void *at, size_t size);
void join_place_drop(struct join_place *p);
void join_place_unmap(void *at, size_t size);
#endif
