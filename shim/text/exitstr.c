/* SPDX-License-Identifier: MIT */
/*
 * exitstr.c - exit strings of wait statuses, in Plan 9 form ("<comm> <pid>:
 * <reason>") or plan9port's (bare code, "signal: <name>"), with the signal
 * vocabulary of plan9port's src/lib9/await.c, and the names of the ways a
 * child was made and reaped.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "base/line.h"
#include "base/num.h"
#include "text/text.h"

/* plan9port's table, in its order; Linux has neither SIGEMT nor SIGINFO.  Strings in
 * place, not pointers: a pointer in a table is a relocation the loader does at every exec. */
static const struct {
	int sig;
	char str[36];
} sigtab[] = {
    {SIGHUP, "hangup"},
    {SIGINT, "interrupt"},
    {SIGQUIT, "quit"},
    {SIGILL, "sys: illegal instruction"},
    {SIGTRAP, "sys: breakpoint"},
    {SIGABRT, "sys: abort"},
#ifdef SIGEMT
    {SIGEMT, "sys: emulate instruction executed"},
#endif
    {SIGFPE, "sys: fp: trap"},
    {SIGKILL, "sys: kill"},
    {SIGBUS, "sys: bus error"},
    {SIGSEGV, "sys: segmentation violation"},
    {SIGALRM, "alarm"},
    {SIGTERM, "kill"},
    {SIGURG, "sys: urgent condition on socket"},
    {SIGSTOP, "sys: stop"},
    {SIGTSTP, "sys: tstp"},
    {SIGCONT, "sys: cont"},
    {SIGCHLD, "sys: child"},
    {SIGTTIN, "sys: ttin"},
    {SIGTTOU, "sys: ttou"},
    {SIGIO, "sys: i/o possible on fd"},
    {SIGXCPU, "sys: cpu time limit exceeded"},
    {SIGXFSZ, "sys: file size limit exceeded"},
    {SIGVTALRM, "sys: virtual time alarm"},
    {SIGPROF, "sys: profiling timer alarm"},
    {SIGWINCH, "sys: window size change"},
#ifdef SIGINFO
    {SIGINFO, "sys: status request"},
#endif
    {SIGUSR1, "sys: usr1"},
    {SIGUSR2, "sys: usr2"},
    {SIGPIPE, "sys: write on closed pipe"},
};

/* Both styles share plan9port's vocabulary; p9p only adds "signal: " in join_exitstr. */
const char *join_signame(int sig, int style, char tmp[32])
{
	static const char pre[] = "sys: signal ";
	char num[JOIN_NUM_MAX];
	size_t i, n;

	(void)style;
	for (i = 0; i < sizeof sigtab / sizeof sigtab[0]; i++)
		if (sigtab[i].sig == sig)
			return sigtab[i].str;
	if (tmp == NULL)
		return NULL;
	/* An int has at most 11 characters, so 12 + 11 + NUL fit in 32. */
	n = join_itoa(num, sig);
	memcpy(tmp, pre, sizeof pre - 1);
	memcpy(tmp + sizeof pre - 1, num, n + 1);
	return tmp;
}

/* Control bytes of a name become '?', as ps(1) shows them: an exit string,
 * and so an await record, never holds a newline (docs/DESIGN.md, "The await text"). */
static void putcomm(struct join_line *b, const char *s)
{
	char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s;
		join_line_put(b, &c, 1);
	}
}

/* The reason alone: exit code, signal name with the core suffix, or, for a
 * status that is neither (a stopped child is never reported, but be total),
 * "sys: status N". */
static void reason(struct join_line *b, int style, int status)
{
	char tmp[32];

	if (WIFEXITED(status)) {
		join_line_i64(b, WEXITSTATUS(status));
	} else if (WIFSIGNALED(status)) {
		if (style == JOIN_STYLE_P9P)
			join_line_str(b, "signal: ");
		join_line_str(b, join_signame(WTERMSIG(status), style, tmp));
		if (WCOREDUMP(status))
			join_line_str(b, " (core dumped)");
	} else {
		join_line_str(b, "sys: status ");
		join_line_i64(b, status);
	}
}

size_t join_exitstr(char out[128], int style, pid_t pid, const char *comm, int status)
{
	struct join_line b = {out, 127, 0}; /* cut bytewise at the exit string's limit */

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		out[0] = '\0';
		return 0;
	}
	if (style != JOIN_STYLE_P9P) {
		putcomm(&b, comm != NULL && comm[0] != '\0' ? comm : "?");
		join_line_str(&b, " ");
		join_line_i64(&b, pid);
		join_line_str(&b, ": ");
	}
	reason(&b, style, status);
	out[join_line_len(&b)] = '\0';
	return join_line_len(&b);
}

const char *join_how_name(int how)
{
	static const char names[][16] = {
	    [JOIN_HOW_PIDFD_SPAWN] = "pidfd_spawn",
	    [JOIN_HOW_PIDFD_SPAWNP] = "pidfd_spawnp",
	    [JOIN_HOW_FORK] = "fork",
	    [JOIN_HOW_VFORK] = "vfork",
	    [JOIN_HOW__FORK] = "_Fork",
	    [JOIN_HOW_CLONE] = "clone",
	    [JOIN_HOW_SPAWN] = "posix_spawn",
	    [JOIN_HOW_SYSTEM] = "system",
	    [JOIN_HOW_POPEN] = "popen",
	    [JOIN_HOW_UNKNOWN] = "unknown",
	};

	if (how < 0 || (size_t)how >= sizeof names / sizeof names[0])
		return "unknown";
	return names[how];
}

const char *join_call_name(int call)
{
	static const char names[][12] = {
	    [JOIN_CALL_WAIT] = "wait",           [JOIN_CALL_WAITPID] = "waitpid",
	    [JOIN_CALL_WAIT3] = "wait3",         [JOIN_CALL_WAIT4] = "wait4",
	    [JOIN_CALL_WAITID] = "waitid",       [JOIN_CALL_SYSTEM] = "system",
	    [JOIN_CALL_PCLOSE] = "pclose",       [JOIN_CALL_AWAIT] = "await",
	    [JOIN_CALL_PROC_JOIN] = "proc_join",
	};

	if (call < 0 || (size_t)call >= sizeof names / sizeof names[0])
		return "unknown";
	return names[call];
}
