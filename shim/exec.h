/* SPDX-License-Identifier: MIT */
/* exec.h - the exec event: with JOIN_ARGV, a process records its command line once,
 * after its exec (docs/DESIGN.md, "The exec event"). */
#ifndef JOIN_EXEC_H
#define JOIN_EXEC_H
#include <stddef.h>
#include <sys/types.h>

/* The command line as an exec event, to the ring or the log (JSONL only).  argv NULL
 * (musl passes a constructor none): read from /proc/self/cmdline. */
void join_emit_exec(int argc, char **argv);
/* argv as NUL-terminated arguments into out (cap bytes); whole arguments only:
 * *truncated when some did not fit.  Returns the bytes used. */
size_t join_argv_pack(char *out, size_t cap, int argc, char *const *argv, int *truncated);
/* The first whole arguments of packed args (len bytes) that fit in cap. */
size_t join_args_cut(const char *args, size_t len, size_t cap, int *truncated);
/* This process's /proc/self/cmdline, packed so; -1 if it cannot be read. */
ssize_t join_cmdline(char *out, size_t cap, int *truncated);
#endif
