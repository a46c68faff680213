/* SPDX-License-Identifier: MIT */
/*
 * late.c - children for watch-mode tests.
 *   late late MS     after a first child (reaped at once), a child that exits 9 at
 *                    once, reaped MS ms later (waitpid)
 *   late leave MS    a child that exits at once and one that sleeps, neither reaped;
 *                    the process exits MS ms later (the exit report names both)
 *   late storm N T   T threads fork N children each, exiting at once, reaped by a
 *                    SIGCHLD handler (waitpid(-1, WNOHANG)); prints the count reaped
 *   late pidfds      prints the number of pidfds held by this process's other threads
 *                    with 50 zombies, then after they were reaped (none: they are the
 *                    collector's)
 *   late signals     after a child, sends itself 200 SIGUSR1; prints how many were
 *                    handled by a thread other than the main one
 *   late pexit       after a child, the main thread leaves by pthread_exit: the process
 *                    must end (status 0): libjoin keeps no thread that could hold it
 *   late pexitfork F the same, and an atexit handler (run by whichever thread ends
 *                    the process) forks a child that exits 7 and writes its wait
 *                    status to the file F
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, ms % 1000 * 1000000};
	while (nanosleep(&ts, &ts) < 0)
		;
}

static int late(long ms)
{
	pid_t p = fork(); /* the ring is mapped at a first child: let it be for the next */
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	sleep_ms(20);
	p = fork();
	if (p == 0)
		_exit(9);
	sleep_ms(ms);
	int st;
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 9)
		return 1;
	return 0;
}

static int leave(long ms)
{
	if (fork() == 0)
		_exit(0);
	if (fork() == 0) {
		sleep_ms(10000);
		_exit(0);
	}
	sleep_ms(ms);
	return 0;
}

static int reaped; /* handlers run in any thread, and interrupt the main loop's call */

static void on_chld(int sig)
{
	int err = errno;
	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		__atomic_add_fetch(&reaped, 1, __ATOMIC_RELAXED);
	errno = err;
}

static int each;

static void *forker(void *arg)
{
	(void)arg;
	for (int i = 0; i < each; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(i & 7);
	}
	return NULL;
}

static int storm(int n, int threads)
{
	struct sigaction sa = {.sa_handler = on_chld, .sa_flags = SA_RESTART};
	pthread_t t[64];
	sigaction(SIGCHLD, &sa, NULL);
	each = n;
	threads = threads > 64 ? 64 : threads;
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, forker, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	for (int k = 0; k < 1000 && __atomic_load_n(&reaped, __ATOMIC_RELAXED) < n * threads; k++) {
		sleep_ms(10);
		on_chld(0); /* a SIGCHLD may have been merged with one already handled */
	}
	printf("%d\n", (int)reaped);
	return reaped == n * threads ? 0 : 1;
}

/* pidfds open in the table of a thread other than this one (the most in one task:
 * the watcher's two threads share one table). */
static int count_pidfds(void)
{
	char dir[300], link[64], path[600];
	int most = 0;
	DIR *tasks = opendir("/proc/self/task");
	struct dirent *t, *f;
	while (tasks && (t = readdir(tasks))) {
		if (t->d_name[0] == '.' || atoi(t->d_name) == getpid())
			continue;
		snprintf(dir, sizeof dir, "/proc/self/task/%s/fd", t->d_name);
		DIR *fds = opendir(dir);
		int n = 0;
		while (fds && (f = readdir(fds))) {
			snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
			ssize_t k = readlink(path, link, sizeof link - 1);
			if (k > 0 && (link[k] = 0, strstr(link, "pidfd")))
				n++;
		}
		if (fds)
			closedir(fds);
		most = n > most ? n : most;
	}
	if (tasks)
		closedir(tasks);
	return most;
}

static int pidfds(void)
{
	pid_t p[50];
	for (int i = 0; i < 50; i++)
		if ((p[i] = fork()) == 0)
			_exit(0);
	sleep_ms(100);
	int held = count_pidfds(); /* 50 zombies: 50 pidfds, and our own */
	for (int i = 0; i < 50; i++)
		waitpid(p[i], NULL, 0);
	sleep_ms(300);
	printf("%d %d\n", held, count_pidfds());
	return 0;
}

static volatile sig_atomic_t elsewhere, handled;

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
	if (gettid() != getpid())
		elsewhere++;
}

static int signals(void)
{
	struct sigaction sa = {.sa_handler = on_usr1};
	sigaction(SIGUSR1, &sa, NULL);
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	for (int i = 0; i < 200; i++)
		kill(getpid(), SIGUSR1);
	while (handled < 200)
		sleep_ms(1);
	printf("%d\n", (int)elsewhere);
	return 0;
}

static int pexit(void)
{
	pid_t p = fork();
	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	pthread_exit(NULL);
}

static const char *status_file;

static void fork_at_exit(void)
{
	int st = -1;
	pid_t p = fork();
	if (p == 0)
		_exit(7);
	if (p > 0)
		waitpid(p, &st, 0);
	FILE *f = fopen(status_file, "w");
	if (f) {
		fprintf(f, "%d\n", st);
		fclose(f);
	}
}

static int pexitfork(const char *file)
{
	status_file = file;
	atexit(fork_at_exit);
	return pexit();
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";
	long a = argc > 2 ? atol(argv[2]) : 0, b = argc > 3 ? atol(argv[3]) : 1;
	if (!strcmp(m, "late"))
		return late(a);
	if (!strcmp(m, "leave"))
		return leave(a);
	if (!strcmp(m, "storm"))
		return storm((int)a, (int)b);
	if (!strcmp(m, "pidfds"))
		return pidfds();
	if (!strcmp(m, "signals"))
		return signals();
	if (!strcmp(m, "pexit"))
		return pexit();
	if (!strcmp(m, "pexitfork") && argc > 2)
		return pexitfork(argv[2]);
	fprintf(stderr, "usage: late late|leave MS | storm N THREADS | pidfds | signals | pexit | "
	                "pexitfork FILE\n");
	return 2;
}
