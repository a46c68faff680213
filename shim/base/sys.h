/* SPDX-License-Identifier: MIT */
/*
 * sys.h - the collector's and the ring's system calls, raw.  Every glibc symbol
 * version libjoin needs is one more name the loader checks at each exec of every
 * preloaded program (epoll 2.3.2 and 2.9, signalfd 2.7, getrandom 2.25, fstat and
 * stat 2.33, fgetxattr 2.3): these calls are made once per tree, so they go to the kernel directly.
 */
#ifndef JOIN_SYS_H
#define JOIN_SYS_H
#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static inline int join_sys_fstat(int fd, struct stat *st)
{
	return (int)syscall(SYS_fstat, fd, st);
}

/* A system call of two arguments without libc: no errno, nothing for the loader to
 * bind, no page of libc's text to fault in.  For the constructor's fstat at every
 * exec and a watched child's last words; -errno on failure. */
static inline long join_sys_bare2(long nr, long a, long b)
{
#if defined(__x86_64__)
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "0"(nr), "D"(a), "S"(b) : "rcx", "r11", "memory");
	return r;
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1) : "memory");
	return x0;
#else
	return syscall(nr, a, b);
#endif
}

static inline long join_sys_fstat_bare(int fd, struct stat *st)
{
	return join_sys_bare2(SYS_fstat, fd, (long)st);
}

static inline int join_sys_stat(const char *path, struct stat *st)
{
	return (int)syscall(SYS_newfstatat, AT_FDCWD, path, st, 0);
}

static inline int join_sys_epoll_create(void)
{
	return (int)syscall(SYS_epoll_create1, EPOLL_CLOEXEC);
}

static inline int join_sys_epoll_ctl(int ep, int op, int fd, struct epoll_event *e)
{
	return (int)syscall(SYS_epoll_ctl, ep, op, fd, e);
}

static inline int join_sys_epoll_wait(int ep, struct epoll_event *e, int n, int ms)
{
	return (int)syscall(SYS_epoll_pwait, ep, e, n, ms, NULL, 0);
}

/* The kernel's sigset is 8 bytes (_NSIG / 8), not glibc's 128. */
static inline int join_sys_signalfd(const sigset_t *mask, int flags)
{
	return (int)syscall(SYS_signalfd4, -1, mask, _NSIG / 8, flags);
}

static inline long join_sys_getrandom(void *buf, size_t n)
{
	return syscall(SYS_getrandom, buf, n, 0);
}

static inline int join_sys_socket(int domain, int type)
{
	return (int)syscall(SYS_socket, domain, type, 0);
}

/* The size of fd's extended attribute name (0 or -1 when it has none). */
static inline long join_sys_fgetxattr(int fd, const char *name)
{
	return syscall(SYS_fgetxattr, fd, name, NULL, 0);
}

static inline long join_sys_readlink(const char *path, char *buf, size_t n)
{
	return syscall(SYS_readlinkat, AT_FDCWD, path, buf, n);
}
#endif
