/* SPDX-License-Identifier: MIT */
/* self.h - this process's pid, cached on the hot page (hotpage.h). */
#ifndef JOIN_SELF_H
#define JOIN_SELF_H
#include <sys/types.h>

/* getpid(), once per process: a forked child finds the cache zeroed. */
pid_t join_self_pid(void);
/* The cache forgotten, in a forked child whose hot page was not wiped. */
void join_self_forgotten(void);
#endif
