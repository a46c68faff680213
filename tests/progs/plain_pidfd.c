/* SPDX-License-Identifier: MIT */
/*
 * plain_pidfd.c - pidfd_spawn and pidfd_spawnp (glibc >= 2.39) as a program
 * sees them, printed so that a native and a preloaded run can be compared:
 * return values, errno, the pidfd's number, statuses through waitid(P_PIDFD)
 * and waitpid.  The children's pids go to $PIDS.  On an older glibc it says
 * so; "probe" calls whatever pidfd_spawn dlsym finds (libjoin's, preloaded).
 * Built without -ljoin.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __GLIBC__
#if __GLIBC_PREREQ(2, 39)
#define HAVE_PIDFD_SPAWN 1
#include <sys/pidfd.h>
#endif
#endif

extern char **environ;
typedef int spawn_fn(int *, const char *, const posix_spawn_file_actions_t *,
                     const posix_spawnattr_t *, char *const[], char *const[]);

static int probe(void)
{
	spawn_fn *f = (spawn_fn *)dlsym(RTLD_DEFAULT, "pidfd_spawn");
	int fd = -1;
	char *av[] = {"true", NULL};
	printf("probe: %d\n", f ? f(&fd, "/bin/true", NULL, NULL, av, environ) : -1);
	return 0;
}

#ifdef HAVE_PIDFD_SPAWN
/* The number the next open() gets: a descriptor left behind would move it. */
static int next_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	close(fd);
	return fd;
}

static void note(const char *name, int fd)
{
	const char *path = getenv("PIDS");
	FILE *f = path ? fopen(path, "a") : NULL;
	if (f) {
		fprintf(f, "%s %d\n", name, pidfd_getpid(fd));
		fclose(f);
	}
}

static void by_pidfd(void)
{
	int fd = -1, want = next_fd();
	siginfo_t si;
	char *av[] = {"sh", "-c", "exit 6", NULL};
	errno = EDOM;
	int r = pidfd_spawnp(&fd, "sh", NULL, NULL, av, environ);
	printf("pidfd_spawnp: %d errno=%d fd-is-next=%d\n", r, errno, fd == want);
	note("spawnp", fd);
	memset(&si, 0, sizeof si);
	r = waitid(P_PIDFD, (id_t)fd, &si, WEXITED);
	printf("waitid P_PIDFD: %d code=%d status=%d errno=%d\n", r, si.si_code, si.si_status,
	       errno);
	close(fd);
}

static void by_waitpid(void)
{
	int fd = -1, st = 0;
	char *av[] = {"sh", "-c", "kill -TERM $$", NULL};
	int r = pidfd_spawn(&fd, "/bin/sh", NULL, NULL, av, environ);
	printf("pidfd_spawn: %d\n", r);
	note("spawn", fd);
	pid_t got = waitpid(-1, &st, 0);
	printf("waitpid: %d status=%#x\n", got > 0, st);
	close(fd);
	char *bad[] = {"nonexistent", NULL};
	fd = -7;
	r = pidfd_spawn(&fd, "/nonexistent/prog", NULL, NULL, bad, environ);
	printf("pidfd_spawn missing: %d fd=%d\n", r, fd);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "probe"))
		return probe();
	int before = next_fd();
	by_pidfd();
	by_waitpid();
	printf("descriptors as before: %d\n", next_fd() == before);
	return 0;
}
#else
int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "probe"))
		return probe();
	printf("pidfd_spawn: not in this glibc\n");
	return 0;
}
#endif
