/* SPDX-License-Identifier: MIT */
/*
 * plain_deny.c - a seccomp sandbox for one command: `plain_deny NAME[,NAME...] CMD
 * ARGS...` makes each named system call fail with ENOSYS (as a container's
 * profile or an older kernel does), then execs CMD.  Names: pidfd_open,
 * close_range, epoll_create1, signalfd4, pidfd_getfd.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#endif

static const struct {
	const char *name;
	long nr;
} calls[] = {
    {"pidfd_open", SYS_pidfd_open},       {"close_range", SYS_close_range},
    {"epoll_create1", SYS_epoll_create1}, {"signalfd4", SYS_signalfd4},
    {"pidfd_getfd", SYS_pidfd_getfd},
};

static long number(const char *name)
{
	for (size_t i = 0; i < sizeof calls / sizeof *calls; i++)
		if (!strcmp(calls[i].name, name))
			return calls[i].nr;
	return -1;
}

int main(int argc, char **argv)
{
	struct sock_filter f[32];
	unsigned n = 0;
	char list[256];
	if (argc < 3 || strlen(argv[1]) >= sizeof list) {
		fprintf(stderr, "usage: plain_deny NAME[,NAME...] CMD [ARG...]\n");
		return 2;
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	                                      offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	                                      offsetof(struct seccomp_data, nr));
	strcpy(list, argv[1]);
	for (char *s = strtok(list, ","); s; s = strtok(NULL, ",")) {
		long nr = number(s);
		if (nr < 0 || n + 3 > sizeof f / sizeof *f) {
			fprintf(stderr, "plain_deny: %s: not a call this sandbox knows\n", s);
			return 2;
		}
		f[n++] =
		    (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	struct sock_fprog prog = {(unsigned short)n, f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("plain_deny: seccomp");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror(argv[2]);
	return 127;
}
