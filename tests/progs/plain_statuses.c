/* SPDX-License-Identifier: MIT */
/*
 * statuses.c - what a program sees of its children, printed so that a native
 * run and a preloaded run can be compared byte for byte.  Pids vary between
 * runs, so only statuses, return codes and errno are printed to stdout; the
 * pids the test needs go to the file named by $PIDS ("NAME N" lines).  Built
 * without -ljoin: the native run must not load the library.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void note(const char *name, pid_t pid)
{
	const char *path = getenv("PIDS");
	FILE *f = path ? fopen(path, "a") : NULL;
	if (f) {
		fprintf(f, "%s %d\n", name, pid);
		fclose(f);
	}
}

static pid_t child(int code)
{
	pid_t p = fork();
	if (p == 0)
		_exit(code);
	return p;
}

static void codes(void)
{
	int bad = 0;
	for (int i = 0; i < 256; i++) {
		int st;
		pid_t p = child(i);
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != i)
			bad++;
	}
	printf("codes 0..255: %d wrong\n", bad);
}

static void signals(void)
{
	struct rlimit none = {0, 0};
	for (int sig = 1; sig < NSIG; sig++) {
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU ||
		    sig == 32 || sig == 33) /* stops, and glibc's own */
			continue;
		pid_t p = fork();
		if (p == 0) {
			setrlimit(RLIMIT_CORE, &none);
			signal(sig, SIG_DFL);
			raise(sig);
			_exit(99); /* ignored by default */
		}
		int st;
		pid_t r = waitpid(p, &st, 0);
		printf("signal %d: r=%d status=%#x\n", sig, r == p, st);
	}
}

static void core(void)
{
	struct rlimit all = {RLIM_INFINITY, RLIM_INFINITY};
	pid_t p = fork();
	if (p == 0) {
		setrlimit(RLIMIT_CORE, &all);
		abort();
	}
	int st;
	waitpid(p, &st, 0);
	note("core", p);
	printf("abort: signaled=%d sig=%d\n", WIFSIGNALED(st), WTERMSIG(st));
}

static void stop_continue(void)
{
	int st;
	pid_t p = fork();
	if (p == 0) {
		for (;;)
			pause();
	}
	kill(p, SIGSTOP);
	pid_t r = waitpid(p, &st, WUNTRACED);
	printf("stopped: r=%d status=%#x\n", r == p, st);
	kill(p, SIGCONT);
	r = waitpid(p, &st, WCONTINUED);
	printf("continued: r=%d status=%#x\n", r == p, st);
	kill(p, SIGSTOP);
	siginfo_t si = {0};
	int k = waitid(P_PID, (id_t)p, &si, WSTOPPED);
	printf("waitid stopped: k=%d code=%d status=%d\n", k, si.si_code, si.si_status);
	kill(p, SIGCONT);
	kill(p, SIGTERM);
	r = waitpid(p, &st, 0);
	printf("terminated: r=%d status=%#x\n", r == p, st);
}

static void on_alarm(int s)
{
	(void)s;
}

static void eintr(void)
{
	struct sigaction sa = {0};
	sa.sa_handler = on_alarm; /* no SA_RESTART: the wait must fail with EINTR */
	sigaction(SIGALRM, &sa, NULL);
	pid_t p = fork();
	if (p == 0) {
		usleep(600000);
		_exit(7);
	}
	struct itimerval it = {{0, 0}, {0, 150000}};
	setitimer(ITIMER_REAL, &it, NULL);
	int st = -1;
	errno = 0;
	pid_t r = waitpid(p, &st, 0);
	int e = errno;
	printf("eintr: r=%d errno=%s\n", r, strerror(e));
	r = waitpid(p, &st, 0);
	printf("after eintr: r=%d status=%#x\n", r == p, st);
	note("eintr", p);
	signal(SIGALRM, SIG_DFL);
}

static void echild(void)
{
	int st;
	errno = 0;
	pid_t r = waitpid(-1, &st, 0);
	printf("echild any: r=%d errno=%s\n", r, strerror(errno));
	r = waitpid(1, &st, WNOHANG);
	printf("echild pid 1: r=%d errno=%s\n", r, strerror(errno));
	r = waitpid(-1, &st, 0x40000000 | 0x1000);
	printf("bad options: r=%d errno=%s\n", r, strerror(errno));
	siginfo_t si;
	int k = waitid(P_ALL, 0, &si, WEXITED | WNOHANG);
	printf("waitid none: k=%d errno=%s\n", k, strerror(errno));
}

static void ignored(int how)
{
	struct sigaction sa = {0}, old;
	if (how)
		sa.sa_flags = SA_NOCLDWAIT;
	else
		sa.sa_handler = SIG_IGN;
	pid_t early = child(0); /* exists before the change */
	usleep(100000);
	sigaction(SIGCHLD, &sa, &old);
	for (int i = 0; i < 5; i++)
		child(1);
	usleep(200000);
	int st, n = 0;
	pid_t r;
	errno = 0;
	while ((r = wait(&st)) > 0)
		n++;
	printf("%s: reaped %d, then errno=%s\n", how ? "SA_NOCLDWAIT" : "SIG_IGN", n,
	       strerror(errno));
	(void)early;
	sigaction(SIGCHLD, &old, NULL);
}

static void wnowait(void)
{
	siginfo_t a = {0}, b = {0};
	pid_t p = child(9);
	int k1 = waitid(P_PID, (id_t)p, &a, WEXITED | WNOWAIT);
	int k2 = waitid(P_PID, (id_t)p, &b, WEXITED);
	int st;
	pid_t r = waitpid(p, &st, WNOHANG);
	printf("wnowait: %d %d code=%d/%d status=%d/%d pid=%d/%d then r=%d errno=%s\n", k1, k2,
	       a.si_code, b.si_code, a.si_status, b.si_status, a.si_pid == p, b.si_pid == p, r,
	       strerror(errno));
	note("wnowait", p);
}

static void nohang(void)
{
	int fd[2], st;
	if (pipe(fd))
		return;
	pid_t p = fork();
	if (p == 0) {
		char c;
		close(fd[1]);
		_exit(read(fd[0], &c, 1) == 0 ? 5 : 6); /* runs until we close the pipe */
	}
	close(fd[0]);
	pid_t r = waitpid(p, &st, WNOHANG);
	printf("nohang running: r=%d\n", r);
	close(fd[1]);
	r = waitpid(p, &st, 0);
	printf("nohang then: r=%d status=%#x\n", r == p, st);
}

static void rusage(void)
{
	struct rusage ru;
	int st;
	pid_t p = fork();
	if (p == 0) {
		struct timespec a, b;
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
		do
			clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
		while ((b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec < 80000000L);
		_exit(0);
	}
	memset(&ru, 0, sizeof ru);
	pid_t r = wait4(p, &st, 0, &ru);
	long ms = ru.ru_utime.tv_sec * 1000 + ru.ru_utime.tv_usec / 1000 +
	          ru.ru_stime.tv_sec * 1000 + ru.ru_stime.tv_usec / 1000;
	printf("wait4 rusage: r=%d cpu>=70ms:%d maxrss>0:%d\n", r == p, ms >= 70, ru.ru_maxrss > 0);
	note("busy", p);
	p = child(0);
	memset(&ru, 0, sizeof ru);
	r = wait3(&st, 0, &ru);
	printf("wait3: r=%d status=%#x maxrss>0:%d\n", r == p, st, ru.ru_maxrss > 0);
}

static void spawns(void)
{
	int st;
	pid_t p;
	char *av[] = {"sh", "-c", "exit 12", NULL};
	int k = posix_spawn(&p, "/bin/sh", NULL, NULL, av, environ);
	waitpid(p, &st, 0);
	printf("posix_spawn: %d status=%#x\n", k, st);
	char *bad[] = {"nonexistent", NULL};
	k = posix_spawnp(&p, "/nonexistent/prog", NULL, NULL, bad, environ);
	printf("posix_spawnp missing: %d\n", k);
	printf("system: %#x\n", system("exit 13"));
	printf("system NULL: %d\n", system(NULL));
	/* A line that looks like an option of sh's: glibc >= 2.38 puts "--" before it. */
	printf("system -x: %#x\n", system("-x"));
	printf("system --: %#x\n", system("--"));
	FILE *f = popen("echo out; exit 14", "r");
	char line[32] = "";
	if (f && fgets(line, sizeof line, f))
		printf("popen read: %s", line);
	printf("pclose: %#x\n", f ? pclose(f) : -1);
	pid_t v = vfork();
	if (v == 0)
		_exit(15);
	waitpid(v, &st, 0);
	printf("vfork: r=%d status=%#x\n", v > 0, st);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	const char *only = argc > 1 ? argv[1] : "";
	struct {
		const char *name;
		void (*fn)(void);
	} t[] = {{"codes", codes},        {"signals", signals}, {"core", core},
	         {"stop", stop_continue}, {"eintr", eintr},     {"echild", echild},
	         {"wnowait", wnowait},    {"nohang", nohang},   {"rusage", rusage},
	         {"spawns", spawns}};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (!*only || !strcmp(only, t[i].name))
			t[i].fn();
	if (!*only || !strcmp(only, "ignored")) {
		ignored(0);
		ignored(1);
	}
	return 0;
}
