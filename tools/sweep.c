/* SPDX-License-Identifier: MIT */
/*
 * sweep.c - rings left behind: a collector killed by SIGKILL (joinrun kill -9)
 * cannot remove its ring, 1 MiB of /dev/shm.  The next joinrun removes every ring
 * of ours whose collector is dead and that no process has in its JOIN_RING any more
 * (its tree is gone: a process still running may need it to write what the dead
 * collector left).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring/ring.h"
#include "ring/ringfile.h"
#include "tools.h"

#ifndef FUTEX_OWNER_DIED
#define FUTEX_OWNER_DIED 0x40000000
#endif

/* The collector is gone: the kernel marked its robust word, or it never took the word
 * and its pid is no more. */
static int collector_dead(const struct join_ring *r)
{
	uint32_t o = __atomic_load_n(&r->h.owner, __ATOMIC_ACQUIRE);
	if (o & FUTEX_OWNER_DIED)
		return 1;
	return !o && r->h.collector > 0 && kill(r->h.collector, 0) < 0 && errno == ESRCH;
}

/* Does the file hold needle (n bytes)?  Read whole: environ is NUL-separated. */
static int holds(const char *file, const char *needle, size_t n)
{
	FILE *f = fopen(file, "r");
	if (!f)
		return 0;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int found = 0;
	for (size_t got = 1; got && !found;) {
		if (len + 65536 > cap)
			buf = jr_xrealloc(buf, cap = 2 * cap + 65536);
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		found = memmem(buf, len, needle, n) != NULL;
	}
	free(buf);
	fclose(f);
	return found;
}

/* Is the ring at path still its tree's: a process (of ours: the others' environments
 * are not readable) was given it (JOIN_RING in the environment of its exec) and may
 * map it at its next event and drain what the dead collector left?  A process that
 * maps it has it there too: it is of the tree, or a forked child of one. */
static int in_use(const char *path)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int found = 0;
	char var[JOIN_RING_PATH_MAX + 80];
	size_t nvar = (size_t)snprintf(var, sizeof var, "JOIN_RING=%s", path) + 1; /* its NUL */
	while (d && !found && (e = readdir(d))) {
		char f[300];
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(f, sizeof f, "/proc/%s/environ", e->d_name);
		found = holds(f, var, nvar);
	}
	if (d)
		closedir(d);
	return found;
}

/* A ring of ours (join_ring_map checks owner, mode, size and header) left by a dead
 * collector, mapped by no process. */
static int stale(const char *path)
{
	struct join_ring *r = join_ring_map(path);
	if (!r)
		return 0;
	int dead = collector_dead(r);
	munmap(r, JOIN_RING_SIZE);
	return dead && !in_use(path);
}

void jr_sweep_rings(void)
{
	const char *dir = join_ring_dir(); /* where our ring files are made */
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		char ring[JOIN_RING_PATH_MAX + 64];
		if (strncmp(e->d_name, "libjoin-", 8))
			continue;
		snprintf(ring, sizeof ring, "%s/%s", dir, e->d_name);
		if (stale(ring))
			unlink(ring);
	}
	if (d)
		closedir(d);
}
