/* ringfile.h - the ring's file: made by a collector, mapped by the tree (ring.h). */
#ifndef JOIN_RINGFILE_H
#define JOIN_RINGFILE_H
#include <sys/types.h>

#define JOIN_RING_PATH_MAX 256

struct join_ring;
/* A fresh random name in $XDG_RUNTIME_DIR (if ours) or /dev/shm; -1 if no randomness. */
int join_ring_name(char path[JOIN_RING_PATH_MAX]);
/* Creates (O_EXCL, 0600) and maps a fresh ring at path.  NULL with errno. */
struct join_ring *join_ring_create(const char *path, pid_t collector, int watch);
/* Maps the ring at path if it is ours (owner, mode, size, header); NULL otherwise.
 * No descriptor stays open; errno is kept. */
struct join_ring *join_ring_map(const char *path);
#endif
