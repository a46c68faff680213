/* SPDX-License-Identifier: MIT */
/*
 * engine.h - everything the preload layer calls.  The engine never looks up
 * a symbol: the real libc functions it needs are handed to it in join_libc.
 */
#ifndef JOIN_ENGINE_H
#define JOIN_ENGINE_H
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

/* The real calls, filled by the preload layer when the program installs a signal
 * handler or makes its first child (or by a unit test); libc.c. */
struct join_libc {
	pid_t (*wait4)(pid_t, int *, int, struct rusage *);
	int (*waitid)(idtype_t, id_t, siginfo_t *, int);
	int (*posix_spawn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
	                   const posix_spawnattr_t *, char *const[], char *const[]);
	int (*sigaction)(int, const struct sigaction *, struct sigaction *);
};
extern struct join_libc join_libc; /* libc.c */
/* join_libc's wait4 and waitid, or the raw system call while they are unresolved. */
pid_t join_call_wait4(pid_t pid, int *status, int options, struct rusage *ru);
int join_call_waitid(idtype_t type, id_t id, siginfo_t *info, int options);
/* SIGCHLD's disposition now (raw system call): 0, or -1 with errno. */
int join_sigchld_now(struct sigaction *out);

/* init.c: reads the environment (envp) once; secure: forward only. */
void join_init(char **envp, int secure);
/* init.c: is the engine recording?  0: the preload layer only forwards. */
extern int join_on;
static inline int join_active(void)
{
	return join_on;
}

/* forkrec.c: a creating call is about to run; it returned pid (parent side, or
 * -1; errno is left as the call set it); we are the new child of a fork-like
 * call (not vfork/CLONE_VM). */
uint64_t join_forkrec_begin(void);
void join_forkrec_end(pid_t pid, uint64_t t0, int how);
void join_forkrec_child(void);

/* reap.c: the wait family, with the record taken on the way. */
pid_t join_wait4(pid_t pid, int *status, int options, struct rusage *ru, int call);
int join_waitid(idtype_t type, id_t id, siginfo_t *info, int options);
/* sigchld.c: does the kernel reap this process's children (SIGCHLD ignored or
 * SA_NOCLDWAIT)?  Then a new child is never waited for. */
extern int join_autoreap;
/* sigchld.c: SIGCHLD's disposition changed; act is the new one (NULL: unchanged). */
void join_sigchld(const struct sigaction *act);
/* A child was made while the kernel reaps; did this process make one so? */
void join_sigchld_child(void);
int join_sigchld_made(void);

/* system.c: glibc's system(), with the child recorded. */
int join_system(const char *line);
/* Does a libc of this version (gnu_get_libc_version) pass "--" to sh -c? */
int join_system_dashdash(const char *version);
/* popen.c: a popen stream was made / is being closed. */
void join_popen_end(FILE *fp, uint64_t t0);
struct join_pclose {
	pid_t pid;
	struct rusage before;
	char comm[16];
};
void join_pclose_begin(FILE *fp, struct join_pclose *tok);
void join_pclose_end(const struct join_pclose *tok, int status);
/* popen_musl.c: musl's popen and pclose, with the child recorded; join_pclose returns
 * 0 for a stream it did not open, else 1 and pclose's value in *ret. */
FILE *join_popen(const char *cmd, const char *mode);
int join_pclose(FILE *fp, int *ret);

/* exitreport.c: the exit report (JOIN_REPORT). */
void join_exit_report(void);
#endif
