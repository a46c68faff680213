/* SPDX-License-Identifier: MIT */
/*
 * exec.c - the exec family.  The process tells the collector what it is about to
 * run (shim/image.c: one ring slot, JSONL only), so that a static or set-ID
 * program, or one whose environment drops libjoin, is marked "opaque"; the file
 * is judged in the collector, never here.  Under joinrun --propagate the new
 * program finds TRACEPARENT naming this process's span (shim/trace/propagate.h).  The environment
 * is rewritten on the stack: this runs in vfork children, so no allocation, no lock, no lookup (the
 * reals are eager: resolved at the first child).  Off, each call goes to libc's as it is; the
 * l-forms build their argv on the stack as glibc does. execve is the system call itself, as in
 * glibc and musl; execvpe and fexecve (the PATH search, the /proc fallback) are libc's, looked up
 * once.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine.h"
#include "intercept.h"
#include "collector/opaque.h"
#include "trace/propagate.h"

extern char **environ;

enum { BY_PATH, BY_FILE, BY_FD };
struct exec_call {
	int how;
	const char *path;
	int fd;
	char *const *argv;
};

/* execve(2) without libc's entry (whose lookup or lazy binding would cost more than
 * the rest of this file): the instruction of each architecture, errno as libc sets it. */
static int raw_execve(const char *path, char *const argv[], char *const envp[])
{
#if defined(__x86_64__)
	long r;
	__asm__ volatile("syscall"
	                 : "=a"(r)
	                 : "0"((long)SYS_execve), "D"(path), "S"(argv), "d"(envp)
	                 : "rcx", "r11", "memory");
#elif defined(__aarch64__)
	register long x8 __asm__("x8") = SYS_execve;
	register long x0 __asm__("x0") = (long)path;
	register long x1 __asm__("x1") = (long)argv;
	register long x2 __asm__("x2") = (long)envp;
	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	long r = x0;
#else
	return (int)syscall(SYS_execve, path, argv, envp);
#endif
#if defined(__x86_64__) || defined(__aarch64__)
	errno = (int)-r; /* it returns only on failure */
	return -1;
#endif
}

static int go(const struct exec_call *c, char *const envp[])
{
	switch (c->how) {
	case BY_FILE:
		return REAL(execvpe)(c->path, c->argv, envp);
	case BY_FD:
		return REAL(fexecve)(c->fd, c->argv, envp);
	default: /* libc's execve is this system call: no lookup, so nothing paid when off */
		return raw_execve(c->path, c->argv, envp);
	}
}

/* Most environments fit on the stack; a larger one is left as it is (the program
 * then names its forker's span: joinrun(1) says so) rather than allocated. */
#define ENV_ON_STACK 4096

static int propagated(const struct exec_call *c, char *const envp[])
{
	uint64_t self;
	if (!__atomic_load_n(&join_prop_on, __ATOMIC_RELAXED) || !(self = join_prop_self()))
		return go(c, envp);
	size_t n = join_prop_env_size(envp);
	if (n > ENV_ON_STACK)
		return go(c, envp);
	char *out[n], var[JOIN_PROP_VAR_LEN];
	return go(c, join_prop_env(envp, self, var, out, n));
}

/* The intent first, voided if the exec returns; errno is the exec's. */
static int exec_env(const struct exec_call *c, char *const envp[])
{
	if (c->how != BY_FD && join_ready())
		join_image_intent(0, c->path, envp);
	int r = propagated(c, envp);
	join_image_failed(0);
	return r;
}

INTERCEPT(int, execve, const char *path, char *const argv[], char *const envp[])
{
	struct exec_call c = {BY_PATH, path, -1, argv};
	return exec_env(&c, envp);
}

INTERCEPT(int, execv, const char *path, char *const argv[])
{
	struct exec_call c = {BY_PATH, path, -1, argv};
	return exec_env(&c, environ);
}

INTERCEPT(int, execvpe, const char *file, char *const argv[], char *const envp[])
{
	struct exec_call c = {BY_FILE, file, -1, argv};
	return exec_env(&c, envp);
}

INTERCEPT(int, execvp, const char *file, char *const argv[])
{
	struct exec_call c = {BY_FILE, file, -1, argv};
	return exec_env(&c, environ);
}

INTERCEPT(int, fexecve, int fd, char *const argv[], char *const envp[])
{
	struct exec_call c = {BY_FD, NULL, fd, argv};
	return exec_env(&c, envp);
}

/* The l-forms: count the arguments, then the same with an argv on the stack. */
#define ARGC(ap, arg, argc)                                                                        \
	do {                                                                                       \
		va_start(ap, arg);                                                                 \
		for (argc = 1; va_arg(ap, char *); argc++)                                         \
			;                                                                          \
		va_end(ap);                                                                        \
	} while (0)
#define ARGV(ap, arg, argv, argc, envp_out)                                                        \
	do {                                                                                       \
		va_start(ap, arg);                                                                 \
		argv[0] = (char *)arg;                                                             \
		for (int i_ = 1; i_ <= argc; i_++)                                                 \
			argv[i_] = va_arg(ap, char *);                                             \
		envp_out;                                                                          \
		va_end(ap);                                                                        \
	} while (0)

INTERCEPT(int, execl, const char *path, const char *arg, ...)
{
	va_list ap;
	ptrdiff_t argc;
	ARGC(ap, arg, argc);
	char *argv[argc + 1];
	ARGV(ap, arg, argv, argc, (void)0);
	struct exec_call c = {BY_PATH, path, -1, argv};
	return exec_env(&c, environ);
}

INTERCEPT(int, execlp, const char *file, const char *arg, ...)
{
	va_list ap;
	ptrdiff_t argc;
	ARGC(ap, arg, argc);
	char *argv[argc + 1];
	ARGV(ap, arg, argv, argc, (void)0);
	struct exec_call c = {BY_FILE, file, -1, argv};
	return exec_env(&c, environ);
}

INTERCEPT(int, execle, const char *path, const char *arg, ...)
{
	va_list ap;
	ptrdiff_t argc;
	char *const *envp;
	ARGC(ap, arg, argc);
	char *argv[argc + 1];
	ARGV(ap, arg, argv, argc, envp = va_arg(ap, char *const *));
	struct exec_call c = {BY_PATH, path, -1, argv};
	return exec_env(&c, envp);
}
