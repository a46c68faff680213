/* proc.c - /proc reads with open/read/close only: async-signal-safe. */
#include "proc.h"
#include <fcntl.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <unistd.h>

static size_t path(char *out, pid_t pid, const char *leaf)
{
	char t[16];
	size_t n = 0, k = 0;
	unsigned v = (unsigned)pid;
	memcpy(out, "/proc/", 6);
	n = 6;
	do
		t[k++] = (char)('0' + v % 10);
	while (v /= 10);
	while (k)
		out[n++] = t[--k];
	out[n++] = '/';
	strcpy(out + n, leaf);
	return n + strlen(leaf);
}

static ssize_t slurp(pid_t pid, const char *leaf, char *buf, size_t cap)
{
	char p[40];
	path(p, pid, leaf);
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, cap);
	close(fd);
	return n;
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

uint64_t join_proc_start_ns(pid_t pid)
{
	char buf[1024];
	ssize_t n = slurp(pid, "stat", buf, sizeof buf - 1);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	/* Fields after the last ')' (comm may hold anything); starttime is field 22. */
	char *s = strrchr(buf, ')');
	if (!s)
		return 0;
	int field = 2;
	unsigned long long ticks = 0;
	for (s++; *s && field < 22; s++)
		if (*s == ' ')
			field++;
	for (; *s >= '0' && *s <= '9'; s++)
		ticks = ticks * 10 + (unsigned long long)(*s - '0');
	unsigned long hz = getauxval(AT_CLKTCK);
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
