/* SPDX-License-Identifier: MIT */
/*
 * stress.c - reaping races under threads and a SIGCHLD handler.
 *
 *	stress [threads [rounds [anychild]]] [-l REAPS]
 *
 * Worker threads fork or vfork and reap their own child with waitpid(pid);
 * meanwhile a SIGCHLD handler reaps with waitpid(-1, WNOHANG) loops and a
 * reaper thread reaps any child with wait().  A child's exit is a function
 * of its pid (a code, or death by SIGTERM), so whoever reaps it checks the
 * status.  At the end every birth is matched by exactly one reap, per pid.
 * With -l, every reap is written to REAPS as "pid code N" or "pid signal N"
 * for the test to compare with libjoin's log.  Exit status 0 when all
 * checks hold; the summary line gives the figures.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PIDS (1 << 22) /* pid_max can be as large as 4194304 */

enum { BY_SELF, BY_HANDLER, BY_WAIT, BY_MAIN, NBY };

struct reap {
	pid_t pid;
	int status;
};

static unsigned char *born, *reaped; /* per pid, counts mod 256 */
static struct reap *log_;
static long log_cap;
static long nlog, nborn, nbad, by[NBY], echild_self;
static volatile int done;

static int code_of(pid_t pid)
{
	return (int)((unsigned)pid * 2654435761u >> 24);
}

/* A child's end: by SIGTERM for one pid in seven, else exit with code_of(pid). */
static void child(void)
{
	pid_t me = getpid();
	if (me % 7 == 3)
		kill(me, SIGTERM);
	_exit(code_of(me));
}

static int status_ok(pid_t pid, int st)
{
	if (pid % 7 == 3)
		return WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM;
	return WIFEXITED(st) && WEXITSTATUS(st) == code_of(pid);
}

/* Async-signal-safe: atomics only. */
static void record(pid_t pid, int st, int who)
{
	if (pid <= 0 || pid >= PIDS || !status_ok(pid, st))
		__atomic_add_fetch(&nbad, 1, __ATOMIC_SEQ_CST);
	if (pid > 0 && pid < PIDS)
		__atomic_add_fetch(&reaped[pid], 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&by[who], 1, __ATOMIC_SEQ_CST);
	long i = __atomic_fetch_add(&nlog, 1, __ATOMIC_SEQ_CST);
	if (i < log_cap)
		log_[i] = (struct reap){pid, st};
}

static void on_chld(int sig)
{
	int e = errno, st;
	pid_t p;
	(void)sig;
	while ((p = waitpid(-1, &st, WNOHANG)) > 0)
		record(p, st, BY_HANDLER);
	errno = e;
}

static void bear(pid_t p)
{
	if (p < 0) {
		__atomic_add_fetch(&nbad, 1, __ATOMIC_SEQ_CST);
		return;
	}
	__atomic_add_fetch(&born[p], 1, __ATOMIC_SEQ_CST);
	__atomic_add_fetch(&nborn, 1, __ATOMIC_SEQ_CST);
}

/* The child never returns from here, so vfork's shared frame is never reused. */
static pid_t spawn_one(int use_vfork)
{
	pid_t p = use_vfork ? vfork() : fork();
	if (p == 0)
		child();
	return p;
}

static void *worker(void *arg)
{
	long rounds = *(long *)arg;
	for (long i = 0; i < rounds; i++) {
		pid_t p = spawn_one(i & 1);
		/* born may be counted after the reap: the checks compare totals at the end */
		bear(p);
		int st;
		pid_t r;
		do
			r = waitpid(p, &st, 0);
		while (r < 0 && errno == EINTR);
		if (r == p)
			record(p, st, BY_SELF);
		else if (r < 0 && errno == ECHILD)
			__atomic_add_fetch(&echild_self, 1,
			                   __ATOMIC_SEQ_CST); /* reaped by another */
		else
			__atomic_add_fetch(&nbad, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void *any_reaper(void *arg)
{
	(void)arg;
	for (;;) {
		int st;
		pid_t p = wait(&st);
		if (p > 0) {
			record(p, st, BY_WAIT);
		} else if (errno == ECHILD) {
			if (__atomic_load_n(&done, __ATOMIC_SEQ_CST))
				return NULL;
			usleep(200);
		} else if (errno != EINTR) {
			__atomic_add_fetch(&nbad, 1, __ATOMIC_SEQ_CST);
			return NULL;
		}
	}
}

static void write_reaps(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	for (long i = 0; i < nlog && i < log_cap; i++) {
		int st = log_[i].status;
		if (WIFSIGNALED(st))
			fprintf(f, "%d signal %d\n", log_[i].pid, WTERMSIG(st));
		else
			fprintf(f, "%d code %d\n", log_[i].pid, WEXITSTATUS(st));
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	const char *reaps = NULL;
	long args[3] = {4, 2000, 1000};
	int na = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-l") && i + 1 < argc)
			reaps = argv[++i];
		else if (na < 3)
			args[na++] = atol(argv[i]);
	}
	long threads = args[0], rounds = args[1], anychild = args[2];
	born = calloc(PIDS, 1);
	reaped = calloc(PIDS, 1);
	log_cap = threads * rounds + anychild + 16;
	log_ = calloc((size_t)log_cap, sizeof *log_);
	struct sigaction sa = {.sa_handler = on_chld, .sa_flags = SA_RESTART};
	sigaction(SIGCHLD, &sa, NULL);

	pthread_t t[64], rt;
	long targ[64];
	if (threads > 64)
		threads = 64;
	pthread_create(&rt, NULL, any_reaper, NULL);
	for (long i = 0; i < threads; i++) {
		targ[i] = rounds;
		pthread_create(&t[i], NULL, worker, &targ[i]);
	}
	/* meanwhile the main thread makes children that only the others reap */
	for (long i = 0; i < anychild; i++) {
		bear(spawn_one(0));
	}
	for (long i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	/* whatever is left (none, normally) is reaped here */
	int st;
	pid_t p;
	while ((p = waitpid(-1, &st, 0)) > 0 || (p < 0 && errno == EINTR))
		if (p > 0)
			record(p, st, BY_MAIN);
	__atomic_store_n(&done, 1, __ATOMIC_SEQ_CST);
	pthread_join(rt, NULL);

	long mismatch = 0;
	for (long i = 1; i < PIDS; i++)
		mismatch += born[i] != reaped[i];
	if (reaps)
		write_reaps(reaps);
	long total = by[BY_SELF] + by[BY_HANDLER] + by[BY_WAIT] + by[BY_MAIN];
	printf("cycles=%ld born=%ld reaped=%ld self=%ld handler=%ld wait=%ld main=%ld "
	       "stolen=%ld mismatch=%ld bad=%ld\n",
	       threads * rounds + anychild, nborn, total, by[BY_SELF], by[BY_HANDLER], by[BY_WAIT],
	       by[BY_MAIN], echild_self, mismatch, nbad);
	return nbad || mismatch || total != nborn || nborn != threads * rounds + anychild;
}
