/* SPDX-License-Identifier: MIT */
/*
 * ringfile.c - the ring's memory: a System V shared memory segment where the
 * kernel gives one ("sysv:<id>"), else a file (O_EXCL, 0600, a random name).
 * Either is mapped by each process of the tree at its first event with no
 * descriptor left open.  The segment needs none even for a moment: shmat
 * works in a program that has used every descriptor (EMFILE) and is not
 * subject to RLIMIT_FSIZE, where a file's open and ftruncate are.  The
 * collector marks it removed as soon as it is attached (Linux still lets the
 * tree attach it): it goes with the last process that holds it, however the
 * collector ends.  A segment or file that is not ours (owner, mode, size,
 * header) is refused: the process then writes its records itself.
 */
#include "ring/ringfile.h"
#include "base/line.h"
#include "ring/pidns.h"
#include "ring/place.h"
#include "ring/ring.h"
#include "base/sys.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <unistd.h>

static const char hex[] = "0123456789abcdef";

/* $XDG_RUNTIME_DIR when it is an absolute directory of ours, else /dev/shm. */
const char *join_ring_dir(void)
{
	const char *d = secure_getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (d && d[0] == '/' && strlen(d) < 200 && join_sys_stat(d, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_uid == geteuid() && access(d, W_OK) == 0)
		return d;
	return "/dev/shm";
}

#ifndef SHM_REMAP
#define SHM_REMAP 040000 /* Linux's, for a libc that does not name it */
#endif

/* Mapped where place.c says, else where the kernel likes (placed: 0 then). */
static void *map(int fd, int *placed)
{
	struct join_place pl;
	void *at = join_place(&pl, JOIN_RING_SIZE), *p = MAP_FAILED;
	if (at)
		p = mmap(at, JOIN_RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0);
	if ((*placed = p != MAP_FAILED))
		join_place_keep(&pl, p, JOIN_RING_SIZE);
	else {
		join_place_drop(&pl);
		p = mmap(NULL, JOIN_RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	}
	return p == MAP_FAILED ? NULL : p;
}

#define SYSV "sysv:"

/* The segment's id in a name "sysv:<id>[.<root>]"; -1 if the name is a path. */
static int sysv_id(const char *name)
{
	long v = 0;
	if (strncmp(name, SYSV, 5))
		return -1;
	for (name += 5; *name >= '0' && *name <= '9' && v < (1L << 30); name++)
		v = v * 10 + (*name - '0');
	return *name && *name != '.' ? -1 : (int)v;
}

/* Attached, if it is ours: owner, no access for others, the ring's size.  fresh:
 * nobody holds it yet (the collector's own check of a segment it made). */
static struct join_ring *sysv_attach(int id, int fresh, int *placed)
{
	struct shmid_ds ds;
	if (shmctl(id, IPC_STAT, &ds) < 0 || ds.shm_perm.uid != geteuid() ||
	    (ds.shm_perm.mode & 077) || ds.shm_segsz != JOIN_RING_SIZE || (fresh && ds.shm_nattch))
		return NULL;
	struct join_place pl;
	void *at = join_place(&pl, JOIN_RING_SIZE), *p = (void *)-1;
	if (at)
		p = shmat(id, at, SHM_REMAP);
	if ((*placed = p != (void *)-1))
		join_place_keep(&pl, p, JOIN_RING_SIZE);
	else {
		join_place_drop(&pl);
		p = shmat(id, NULL, 0);
	}
	return p == (void *)-1 ? NULL : p;
}

static void unmap(struct join_ring *r, const char *name, int placed)
{
	if (placed)
		join_place_unmap(r, JOIN_RING_SIZE);
	else if (sysv_id(name) >= 0)
		shmdt(r);
	else
		munmap(r, JOIN_RING_SIZE);
}

void join_ring_remove(const char *name)
{
	int id = sysv_id(name);
	if (id >= 0)
		shmctl(id, IPC_RMID, NULL);
	else
		unlink(name);
}

int join_ring_name(char path[JOIN_RING_PATH_MAX])
{
	unsigned char rnd[8];
	int id = shmget(IPC_PRIVATE, JOIN_RING_SIZE, IPC_CREAT | IPC_EXCL | 0600);
	if (id >= 0) {
		struct join_line l = {path, JOIN_RING_PATH_MAX, 0};
		join_line_str(&l, SYSV);
		join_line_u64(&l, (unsigned)id);
		join_line_nul(&l);
		return 0;
	}
	if (join_sys_getrandom(rnd, sizeof rnd) != sizeof rnd)
		return -1;
	struct join_line l = {path, JOIN_RING_PATH_MAX, 0};
	join_line_cat(&l, join_ring_dir(), "/libjoin-", NULL);
	for (size_t i = 0; i < sizeof rnd; i++) {
		char x[2] = {hex[rnd[i] >> 4], hex[rnd[i] & 15]};
		join_line_put(&l, x, 2);
	}
	join_line_nul(&l);
	return 0; /* join_ring_dir() is below 200 bytes: the name fits, with the root's ".<pid>" */
}

/* A segment, attached and marked removed; NULL with errno. */
static struct join_ring *sysv_create(int id)
{
	int placed;
	struct join_ring *r = sysv_attach(id, 1, &placed);
	shmctl(id, IPC_RMID, NULL); /* gone with its last holder */
	if (!r)
		errno = EACCES;
	return r;
}

/* A file made and mapped; NULL with errno, and no file left. */
static struct join_ring *file_create(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	int placed;
	struct join_ring *r = ftruncate(fd, JOIN_RING_SIZE) == 0 ? map(fd, &placed) : NULL;
	close(fd);
	if (!r)
		unlink(path);
	return r;
}

struct join_ring *join_ring_create(const char *path, pid_t collector, int watch)
{
	int id = sysv_id(path);
	struct join_ring *r = id >= 0 ? sysv_create(id) : file_create(path);
	if (!r)
		return NULL;
	join_ring_init(r, collector, watch);
	r->h.pidns = join_pidns_own(); /* the reference of every producer's verdict */
	return r;
}

struct join_ring *join_ring_map(const char *path)
{
	int err = errno, id = sysv_id(path), placed = 0;
	struct join_ring *r = NULL;
	int fd = id >= 0 ? -1 : open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (id >= 0)
		r = sysv_attach(id, 0, &placed);
	if (fd >= 0) {
		struct stat st;
		if (join_sys_fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		    !(st.st_mode & 077) && st.st_size == (off_t)JOIN_RING_SIZE)
			r = map(fd, &placed);
		close(fd);
	}
	if (r && (r->h.magic != JOIN_RING_MAGIC || r->h.version != JOIN_RING_VERSION ||
	          r->h.nslots != JOIN_RING_SLOTS || r->h.slot_size != sizeof(struct join_slot) ||
	          r->h.head_size != sizeof(struct join_ring_head))) {
		unmap(r, path, placed);
		r = NULL;
	}
	errno = err;
	return r;
}
