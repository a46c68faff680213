/*
 * ringfile.c - the ring's file: created by the collector (O_EXCL, 0600, a
 * random name), mapped by each process of the tree at its first event with
 * no descriptor left open.  A file that is not ours, not a regular file, a
 * symbolic link or of another size is refused: the process then writes its
 * records itself.
 */
#include "ringfile.h"
#include "line.h"
#include "pidns.h"
#include "ring.h"
#include "sys.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char hex[] = "0123456789abcdef";

/* $XDG_RUNTIME_DIR when it is an absolute directory of ours, else /dev/shm. */
static const char *dir(void)
{
	const char *d = secure_getenv("XDG_RUNTIME_DIR");
	struct stat st;
	if (d && d[0] == '/' && strlen(d) < 200 && join_sys_stat(d, &st) == 0 &&
	    S_ISDIR(st.st_mode) && st.st_uid == geteuid() && access(d, W_OK) == 0)
		return d;
	return "/dev/shm";
}

static void *map(int fd)
{
	void *p = mmap(NULL, JOIN_RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	return p == MAP_FAILED ? NULL : p;
}

int join_ring_name(char path[JOIN_RING_PATH_MAX])
{
	unsigned char rnd[8];
	if (join_sys_getrandom(rnd, sizeof rnd) != sizeof rnd)
		return -1;
	struct join_line l = {path, JOIN_RING_PATH_MAX, 0};
	join_line_cat(&l, dir(), "/libjoin-", NULL);
	for (size_t i = 0; i < sizeof rnd; i++) {
		char x[2] = {hex[rnd[i] >> 4], hex[rnd[i] & 15]};
		join_line_put(&l, x, 2);
	}
	join_line_nul(&l);
	return 0; /* dir() is below 200 bytes: the name fits, with the root's ".<pid>" */
}

struct join_ring *join_ring_create(const char *path, pid_t collector, int watch)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return NULL;
	struct join_ring *r = ftruncate(fd, JOIN_RING_SIZE) == 0 ? map(fd) : NULL;
	close(fd);
	if (!r) {
		unlink(path);
		return NULL;
	}
	join_ring_init(r, collector, watch);
	r->h.pidns = join_pidns_own();
	return r;
}

struct join_ring *join_ring_map(const char *path)
{
	int err = errno;
	struct join_ring *r = NULL;
	int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd >= 0) {
		struct stat st;
		if (join_sys_fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid() &&
		    !(st.st_mode & 077) && st.st_size == (off_t)JOIN_RING_SIZE)
			r = map(fd);
		close(fd);
	}
	if (r && (r->h.magic != JOIN_RING_MAGIC || r->h.version != JOIN_RING_VERSION ||
	          r->h.nslots != JOIN_RING_SLOTS || r->h.slot_size != sizeof(struct join_slot) ||
	          r->h.head_size != sizeof(struct join_ring_head))) {
		munmap(r, JOIN_RING_SIZE);
		r = NULL;
	}
	errno = err;
	return r;
}
