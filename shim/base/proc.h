/* SPDX-License-Identifier: MIT */
/* proc.h - what /proc tells of a child while it exists (a zombie included). */
#ifndef JOIN_PROC_H
#define JOIN_PROC_H
#include <stdint.h>
#include <sys/types.h>

/* The command name (/proc/<pid>/comm, newline dropped); "" if unreadable. */
void join_proc_comm(pid_t pid, char out[16]);
/* The start instant on CLOCK_MONOTONIC, to the clock tick; 0 if unknown. */
uint64_t join_proc_start_ns(pid_t pid);
/* The state letter ('Z' a zombie, '?' gone) and the wait status a zombie left
 * (-1 if unknown). */
char join_proc_state(pid_t pid, int *status);
/* /proc/<pid>/<leaf> as text, NUL-ended in buf (cap bytes of room): its length,
 * or 0 when it cannot be read or is empty. */
size_t join_proc_text(pid_t pid, const char *leaf, char *buf, size_t cap);
/* The pid behind a pidfd of this process; -1 if unknown (reaped already). */
pid_t join_proc_pidfd_pid(int fd);
#endif
