/*
 * watch_alone.c - have the program's threads all ended?  glibc ends the process
 * when its count of threads falls to zero, and the watcher's threads are in that
 * count: a program whose last thread leaves by pthread_exit (main included) would
 * otherwise live on with only them, deaf to every signal but SIGKILL.  No event
 * tells of the main thread's end (its pidfd, even PIDFD_THREAD, waits for the whole
 * group), so the watcher looks: once a second at the main thread's state, and once
 * it is a zombie, more often at the other threads.
 */
#include "watcher.h"
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The state letter of a thread of ours, from /proc/self/task/<tid>/stat ('?' if gone). */
static char state_of(const char *tid)
{
	char path[64] = "/proc/self/task/", buf[512];
	size_t n = strlen(path), k = strlen(tid);
	if (n + k + sizeof "/stat" > sizeof path)
		return '?';
	memcpy(path + n, tid, k);
	memcpy(path + n + k, "/stat", sizeof "/stat");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	ssize_t got = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (got <= 0)
		return '?';
	buf[got] = 0;
	char *p = strrchr(buf, ')'); /* the comm before it may hold anything */
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Any thread but a and b alive? */
static int others(pid_t a, pid_t b)
{
	char buf[4096];
	int live = 0;
	int fd = open("/proc/self/task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	long n;
	while (!live && (n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0) {
		for (long off = 0; off < n && !live;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);
			off += d->d_reclen;
			pid_t tid = (pid_t)atoi(d->d_name);
			if (tid <= 0 || tid == a || tid == b)
				continue;
			char s = state_of(d->d_name);
			live = s != 'Z' && s != 'X' && s != '?';
		}
	}
	close(fd);
	return live;
}

int join_watch_alone(pid_t a, pid_t b)
{
	char pid[16];
	int n = 0;
	unsigned v = (unsigned)getpid();
	char t[16];
	do
		t[n++] = (char)('0' + v % 10);
	while (v /= 10);
	for (int i = 0; i < n; i++)
		pid[i] = t[n - 1 - i];
	pid[n] = 0;
	char s = state_of(pid); /* the main thread: one read while it lives */
	if (s != 'Z' && s != 'X')
		return JOIN_WATCH_MAIN;
	return others(a, b) ? JOIN_WATCH_OTHERS : JOIN_WATCH_ALONE;
}
