/* SPDX-License-Identifier: MIT */
/*
 * popen_musl.c - popen(3) and pclose(3) done here under musl, as system(3) is
 * everywhere: musl's FILE is opaque and its popen spawns and pclose reaps
 * through internal calls, so no interposer sees the child.  The steps are musl's
 * (src/stdio/popen.c, pclose.c): a close-on-exec pipe, /bin/sh -c CMD spawned
 * with the child's end on stdin or stdout and the streams of earlier popen calls
 * closed, and pclose's wait4 retried on EINTR; here the child is recorded.
 */
#include "engine.h"
#include "base/record.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifndef __GLIBC__

extern char **environ;

/* The open streams of join_popen, for pclose and for the next child to close. */
struct stream {
	FILE *fp;
	pid_t pid;
	struct stream *next;
};
static struct stream *streams;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The child's file actions: its end of the pipe on fd, the earlier streams closed. */
static int actions(posix_spawn_file_actions_t *fa, int end, int fd)
{
	for (struct stream *s = streams; s; s = s->next)
		if (posix_spawn_file_actions_addclose(fa, fileno(s->fp)))
			return ENOMEM;
	return posix_spawn_file_actions_adddup2(fa, end, fd) ? ENOMEM : 0;
}

/* Spawns sh -c cmd with the pipe; the child is recorded.  Called with the lock held. */
static int spawn(const char *cmd, int end, int fd, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	if (posix_spawn_file_actions_init(&fa))
		return ENOMEM;
	int e = actions(&fa, end, fd);
	if (!e) {
		char *argv[] = {"sh", "-c", (char *)cmd, NULL};
		uint64_t t0 = join_forkrec_begin();
		e = join_libc.posix_spawn(pid, "/bin/sh", &fa, NULL, argv, environ);
		join_forkrec_end(e == 0 ? *pid : -1, t0, JOIN_HOW_POPEN);
	}
	posix_spawn_file_actions_destroy(&fa);
	return e;
}

FILE *join_popen(const char *cmd, const char *mode)
{
	int p[2], op = mode[0] == 'r' ? 0 : mode[0] == 'w' ? 1 : -1;
	struct stream *s;
	if (op < 0) {
		errno = EINVAL;
		return NULL;
	}
	if (pipe2(p, O_CLOEXEC))
		return NULL;
	FILE *fp = fdopen(p[op], mode);
	if (!fp || !(s = malloc(sizeof *s))) {
		int e = errno;
		fp ? fclose(fp) : close(p[op]);
		close(p[1 - op]);
		errno = e;
		return NULL;
	}
	pthread_mutex_lock(&lock);
	int e = spawn(cmd, p[1 - op], 1 - op, &s->pid);
	if (!e) {
		s->fp = fp;
		s->next = streams;
		streams = s;
		if (!strchr(mode, 'e'))
			fcntl(p[op], F_SETFD, 0);
	}
	pthread_mutex_unlock(&lock);
	close(p[1 - op]);
	if (!e)
		return fp;
	free(s);
	fclose(fp);
	errno = e;
	return NULL;
}

/* The stream's pid, taken off the list; 0 if it is not one of ours. */
static pid_t take(FILE *fp)
{
	pid_t pid = 0;
	pthread_mutex_lock(&lock);
	for (struct stream **l = &streams; *l; l = &(*l)->next)
		if ((*l)->fp == fp) {
			struct stream *s = *l;
			*l = s->next;
			pid = s->pid;
			free(s);
			break;
		}
	pthread_mutex_unlock(&lock);
	return pid;
}

int join_pclose(FILE *fp, int *ret)
{
	int status;
	pid_t pid = take(fp), r;
	if (!pid)
		return 0; /* from libc's own popen (before libjoin started): libc's pclose */
	fclose(fp);
	do
		r = join_wait4(pid, &status, 0, NULL, JOIN_CALL_PCLOSE);
	while (r < 0 && errno == EINTR);
	*ret = r < 0 ? -1 : status;
	return 1;
}
#endif
