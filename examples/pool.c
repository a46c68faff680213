/* SPDX-License-Identifier: MIT */
/*
 * pool.c - a pool of workers joined with WASIX proc_join while the parent
 * keeps working: at most POOL run at once, each finished one is replaced
 * until JOBS have run.  The parent never blocks in a join: it polls with
 * JOIN_NON_BLOCKING between slices of its own work, and prints each
 * child's status and timing.
 *
 *	cc -o pool pool.c -ljoin && ./pool	(or make build/examples/pool)
 */
#include <join.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { POOL = 3, JOBS = 8 };

/* Job i: sleeps, spins, fails or crashes, so every kind of status shows. */
static void work(int i)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	usleep((useconds_t)(40 + 37 * (i % 5)) * 1000);
	do /* some CPU, so user time shows */
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	while ((t.tv_sec - t0.tv_sec) * 1000000000L + t.tv_nsec - t0.tv_nsec < 10000000L * (i % 3));
	if (i == 5)
		raise(SIGTERM);
	_exit(i % 4 == 3 ? 100 + i : 0);
}

static pid_t pids[JOBS];

static pid_t start(int i)
{
	pid_t p = pids[i] = fork();
	if (p == 0)
		work(i);
	if (p > 0)
		printf("pool: started job %d as pid %d\n", i, (int)p);
	return p;
}

static const char *status(const join_status_t *st, char *buf, size_t n)
{
	switch (st->tag) {
	case JOIN_STATUS_EXIT_NORMAL:
		snprintf(buf, n, "exit %u", st->u.exit_normal.code);
		break;
	case JOIN_STATUS_EXIT_SIGNAL:
		snprintf(buf, n, "signal %u (%s)", st->u.exit_signal.signal,
		         strsignal(st->u.exit_signal.signal));
		break;
	case JOIN_STATUS_STOPPED:
		snprintf(buf, n, "stopped by %u", st->u.stopped.signal);
		break;
	default:
		snprintf(buf, n, "nothing");
	}
	return buf;
}

static int job_of(uint32_t pid)
{
	for (int i = 0; i < JOBS; i++)
		if (pids[i] == (pid_t)pid)
			return i;
	return -1;
}

/* The parent's own work between polls: a slice of counting. */
static unsigned long slice(void)
{
	static volatile unsigned long x;
	for (int i = 0; i < 200000; i++)
		x += (unsigned long)i;
	usleep(2000);
	return 1;
}

int main(void)
{
	int next = 0, running = 0, done = 0;
	unsigned long slices = 0, polls = 0;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (running < POOL && next < JOBS)
		running += start(next++) > 0;
	while (running > 0) {
		join_option_pid_t pid = {.tag = JOIN_PID_NONE};
		join_status_t st;
		join_times_t t;
		uint16_t e = join_proc_join_timed(&pid, JOIN_NON_BLOCKING, &st, &t);
		polls++;
		if (e != JOIN_ESUCCESS) {
			fprintf(stderr, "pool: proc_join: wasi errno %u (%s)\n", e,
			        strerror(join_linux_errno(e)));
			return 1;
		}
		if (pid.pid == 0) { /* Some(0): nothing yet; get on with our own work */
			slices += slice();
			continue;
		}
		char buf[64];
		printf("pool: joined job %d (pid %u): %-24s real %7.1f ms  user %5.1f ms  sys "
		       "%5.1f ms  %s\n",
		       job_of(pid.pid), pid.pid, status(&st, buf, sizeof buf), t.real_ns / 1e6,
		       t.user_ns / 1e6, t.sys_ns / 1e6,
		       t.exact ? "exact" : "(exit time: an upper bound)");
		running--, done++;
		if (next < JOBS)
			running += start(next++) > 0;
	}
	printf("pool: %d jobs joined; %lu polls, %lu slices of other work meanwhile\n", done, polls,
	       slices);
	return 0;
}
