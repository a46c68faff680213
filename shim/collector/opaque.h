/* SPDX-License-Identifier: MIT */
/*
 * opaque.h - the processes libjoin cannot follow into (enum join_opaque,
 * record.h), judged in the collector (opaque.c), and the exec intent a
 * process leaves in the ring just before it execs (image.c).
 */
#ifndef JOIN_OPAQUE_H
#define JOIN_OPAQUE_H
#include <stddef.h>
#include <sys/types.h>

/* Has the ELF file at fd a program interpreter?  1 yes, 0 no (static), -1 not an ELF. */
int join_elf_interp(int fd);
/* The file path would run as: static, setuid, or JOIN_OPAQUE_NONE (also when it
 * cannot be read: no verdict without evidence). */
int join_opaque_file(const char *path);
/* 1 when envp (at most n entries) has no LD_PRELOAD naming libjoin. */
int join_opaque_env(const char *const *envp, size_t n);
/* The file pid said it would exec (image.c): absolute, relative to pid's directory,
 * or a bare name looked up in PATH; verdicts cached by file. */
int join_image_judge(pid_t pid, const char *path);
/* A live process (/proc/pid/exe, status, environ); JOIN_OPAQUE_NONE if unknown. */
int join_opaque_pid(pid_t pid);

/* Program side, async-signal-safe, no system call but getpid: pid is about to exec
 * path with envp (the caller's own environment when NULL) -- one ring event when the
 * tree has a collector and this process has the ring mapped already. */
void join_image_intent(pid_t pid, const char *path, char *const envp[]);
/* The exec returned (it failed): the intent is void. */
void join_image_failed(pid_t pid);
#endif
