/* SPDX-License-Identifier: MIT */
/* ringfile.h - the ring's file: made by a collector, mapped by the tree (ring.h). */
#ifndef JOIN_RINGFILE_H
#define JOIN_RINGFILE_H
#include <sys/types.h>

#define JOIN_RING_PATH_MAX 256

struct join_ring;
/* A fresh ring's name: "sysv:<id>", a System V segment made now (0600), or where
 * the kernel refuses one a random file name in $XDG_RUNTIME_DIR (if ours) or
 * /dev/shm; -1 if neither.  Made but not yet the collector's: join_ring_remove
 * it if join_ring_create is never reached. */
int join_ring_name(char path[JOIN_RING_PATH_MAX]);
/* Creates (a file: O_EXCL, 0600) or attaches (a segment, then marked removed)
 * and maps a fresh ring of that name.  NULL with errno. */
struct join_ring *join_ring_create(const char *path, pid_t collector, int watch);
/* Maps the ring of that name if it is ours (owner, mode, size, header); NULL
 * otherwise.  No descriptor is used (a segment) or stays open (a file); errno is
 * kept. */
struct join_ring *join_ring_map(const char *path);
/* Where ring files are made ($XDG_RUNTIME_DIR if ours, else /dev/shm): what a
 * sweep of rings left by killed collectors looks at.  Makes nothing. */
const char *join_ring_dir(void);
/* The ring's name is released: a file unlinked, a segment marked removed. */
void join_ring_remove(const char *path);
#endif
