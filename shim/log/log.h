/* SPDX-License-Identifier: MIT */
/*
 * log.h - the log stream.  One write(2) per record; a path is opened,
 * written and closed for each record (O_APPEND), so the program never sees
 * a descriptor of ours and a whole tree can share one file.
 */
#ifndef JOIN_LOG_H
#define JOIN_LOG_H
#include <stddef.h>
#include <sys/types.h>

/* Writes one record (already '\n'-terminated) to the configured log. */
void join_log_write(const char *buf, size_t len);
/* logwrite.c: writes all of buf (EINTR retried); -1 at the first failure. */
ssize_t join_write_all(int fd, const char *buf, size_t len);
struct stat;
/* All of buf to fd, whose fstat is st, without raising SIGPIPE or SIGXFSZ in the
 * process: 0, or -1 with errno (EFBIG: it would cross RLIMIT_FSIZE, nothing
 * written).  append: fd has O_APPEND (1), has not (0), unknown (-1). */
int join_write_guarded(int fd, const char *buf, size_t len, const struct stat *st, int append);
/* fsize.c: RLIMIT_FSIZE's soft limit, cached; forgotten when the program sets it. */
#include <sys/resource.h>
rlim_t join_fsize_limit(void);
void join_fsize_forget(void);
/* The collector's: the log path opened once (as each record's open would).  A
 * record of process pid: as join_log_write, but a %p path names pid. */
int join_log_open(const char *path);
void join_log_write_as(const char *buf, size_t len, pid_t pid);
/* A diagnostic that diag.c formatted, to the log: 0, or -1 when the log is off or
 * refused it (the caller then says it on stderr). */
int join_log_put(const char *buf, size_t len);
/* The once-per-process warning forgotten, in a forked child whose hot page was not
 * wiped. */
void join_log_forgotten(void);
/* logfd.c: at load, notes the file behind descriptor 2 and fd (-1: none). */
void join_logfd_remember(int fd);
/* fstat of fd into st: 0 when fd is the file it was at load (or was not noted), -1
 * with errno, -2 when another file is on the number now. */
int join_logfd_check(int fd, struct stat *st);
/* A diagnostic to stderr, only while it is the stderr of the load. */
void join_stderr_write(const char *buf, size_t len);
/* Records this process could not write, and the first reason (0: the descriptor
 * holds another file now).  join_log_quiet: count only, say nothing (the collector
 * says it once for its tree). */
#include <stdint.h>
uint64_t join_log_lost(int *err);
extern int join_log_quiet;
#endif
