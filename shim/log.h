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
/* Writes all of buf (EINTR retried); -1 at the first failure. */
ssize_t join_write_all(int fd, const char *buf, size_t len);
/* The collector's: the log path opened once (as each record's open would).  A
 * record of process pid: as join_log_write, but a %p path names pid. */
int join_log_open(const char *path);
void join_log_write_as(const char *buf, size_t len, pid_t pid);
/* Writes one "# libjoin: ..." diagnostic: to the log when it is a path or
 * descriptor that works, else to stderr. */
void join_log_warn(const char *line, size_t len);
/* This process's pid, cached (reset after fork). */
pid_t join_self_pid(void);
void join_self_forgotten(void);
/* logfd.c: may a write to fd raise SIGPIPE (a pipe or a socket)?  Remembered per
 * process; forgotten when the program puts another file on fd (-1: on any). */
int join_logfd_may_pipe(int fd);
void join_logfd_forget(int fd);
#endif
