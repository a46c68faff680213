/* SPDX-License-Identifier: MIT */
/* proc.c - /proc reads with open/read/close only: async-signal-safe. */
#include "base/proc.h"
#include "base/line.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* "/proc/<pid>/<leaf>", NUL-terminated in out (room for any pid and leaf here). */
static size_t path(char *out, size_t cap, pid_t pid, const char *leaf)
{
	struct join_line l = {out, cap, 0};
	join_line_str(&l, "/proc/");
	join_line_u64(&l, (unsigned)pid);
	join_line_cat(&l, "/", leaf, NULL);
	return join_line_nul(&l);
}

static ssize_t slurp_path(const char *p, char *buf, size_t cap)
{
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap);
	close(fd);
	return n;
}

static ssize_t slurp(pid_t pid, const char *leaf, char *buf, size_t cap)
{
	char p[40];
	path(p, sizeof p, pid, leaf);
	return slurp_path(p, buf, cap);
}

size_t join_proc_text(pid_t pid, const char *leaf, char *buf, size_t cap)
{
	ssize_t n = slurp(pid, leaf, buf, cap - 1);
	buf[n > 0 ? n : 0] = 0;
	return n > 0 ? (size_t)n : 0;
}

void join_proc_comm(pid_t pid, char out[16])
{
	ssize_t n = slurp(pid, "comm", out, 16);
	if (n <= 0)
		n = 0;
	if (n > 0 && out[n - 1] == '\n')
		n--;
	if (n > 15)
		n = 15;
	out[n] = 0;
}

/* Field k (3 or more) of /proc/<pid>/stat: the state letter in *state, the number
 * after it returned; -1 if the process is gone. */
static long long stat_field(pid_t pid, int k, char *state)
{
	char buf[1024];
	ssize_t n = slurp(pid, "stat", buf, sizeof buf - 1);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	/* Fields after the last ')' (comm may hold anything). */
	char *s = strrchr(buf, ')');
	if (!s || s[1] != ' ')
		return -1;
	*state = s[2];
	int field = 2;
	long long v = 0;
	for (s++; *s && field < k; s++)
		if (*s == ' ')
			field++;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return v;
}

char join_proc_state(pid_t pid, int *status)
{
	char st = '?';
	long long v = stat_field(pid, 52, &st); /* exit_code, Linux >= 3.5 */
	if (status)
		*status = v < 0 ? -1 : (int)v;
	return v < 0 ? '?' : st;
}

uint64_t join_proc_start_ns(pid_t pid)
{
	char st;
	long long v = stat_field(pid, 22, &st); /* starttime, in clock ticks */
	if (v <= 0)
		return 0;
	unsigned long long ticks = (unsigned long long)v;
	long hz = sysconf(_SC_CLK_TCK);
	if (!hz || !ticks)
		return 0;
	/* starttime counts from boot including suspend (BOOTTIME); move it to MONOTONIC. */
	struct timespec b, m;
	clock_gettime(CLOCK_BOOTTIME, &b);
	clock_gettime(CLOCK_MONOTONIC, &m);
	uint64_t boot = (uint64_t)b.tv_sec * 1000000000u + (uint64_t)b.tv_nsec;
	uint64_t mono = (uint64_t)m.tv_sec * 1000000000u + (uint64_t)m.tv_nsec;
	uint64_t start = ticks * (1000000000u / hz);
	uint64_t skew = boot > mono ? boot - mono : 0;
	return start > skew ? start - skew : 0;
}

/* PIDFD_GET_INFO (Linux >= 6.13), spelt here: older kernel headers lack it. */
struct join_pidfd_info {
	uint64_t mask, cgroupid;
	uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid, spare;
};
#define JOIN_PIDFD_GET_INFO _IOWR(0xFF, 11, struct join_pidfd_info)

/* Older kernels: the "Pid:" line of the pidfd's fdinfo (-1 once reaped). */
static pid_t fdinfo_pid(int fd)
{
	char p[48], buf[512];
	struct join_line l = {p, sizeof p, 0};
	join_line_str(&l, "/proc/self/fdinfo/");
	join_line_u64(&l, (unsigned)fd);
	join_line_nul(&l);
	ssize_t got = slurp_path(p, buf, sizeof buf - 1);
	if (got <= 0)
		return -1;
	buf[got] = 0;
	char *s = strstr(buf, "\nPid:");
	if (!s)
		return -1;
	for (s += 6; *s == ' ' || *s == '\t'; s++)
		;
	long v = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (*s - '0');
	return v > 0 ? (pid_t)v : -1;
}

pid_t join_proc_pidfd_pid(int fd)
{
	int err = errno;
	struct join_pidfd_info info = {.mask = 1}; /* PIDFD_INFO_PID */
	pid_t pid;
	if (syscall(SYS_ioctl, fd, JOIN_PIDFD_GET_INFO, &info) == 0)
		pid = info.pid > 0 ? (pid_t)info.pid : -1;
	else
		pid = errno == ENOTTY || errno == EINVAL ? fdinfo_pid(fd) : -1; /* ESRCH: reaped */
	errno = err;
	return pid;
}
