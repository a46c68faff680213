/* SPDX-License-Identifier: MIT */
/*
 * propagate.h - joinrun --propagate: every process of the tree that execs finds
 * TRACEPARENT naming its own span (docs/DESIGN.md, "Trace context").  A process's
 * span is join_span_of(trace, span of its forker, fork instant); a forked child
 * learns it lazily, at its exec or its first fork, from the instant its parent left
 * in the forking thread's slot.  Nothing here allocates or locks: the exec of a
 * vfork child runs it.  Off (join_prop_on 0), the interposers pay one test.
 */
#ifndef JOIN_PROPAGATE_H
#define JOIN_PROPAGATE_H
#include <spawn.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/tracectx.h"

extern int join_prop_on;

/* At load: JOIN_PROPAGATE set and TRACEPARENT (the span of this process) valid. */
void join_prop_load(const char *traceparent);
/* In the parent, around a fork, vfork or clone made at t0 (the fork event's t_ns). */
void join_prop_before_fork(uint64_t t0);
void join_prop_after_fork(void);
/* This process's span now (a vfork child: its own, computed, nothing written). */
uint64_t join_prop_self(void);
/* "TRACEPARENT=..." naming span, into var; the environment envp with it in place of
 * any TRACEPARENT into out (cap pointers).  NULL if out is too small. */
#define JOIN_PROP_VAR_LEN (sizeof "TRACEPARENT=" + JOIN_TRACEPARENT_LEN)
char **join_prop_env(char *const envp[], uint64_t span, char var[JOIN_PROP_VAR_LEN], char **out,
                     size_t cap);
/* Pointers that envp needs in join_prop_env. */
size_t join_prop_env_size(char *const envp[]);

typedef int join_spawn_fn(pid_t *, const char *, const posix_spawn_file_actions_t *,
                          const posix_spawnattr_t *, char *const[], char *const[]);
/* real(...) for a spawn made at t0, its child finding TRACEPARENT naming its span. */
int join_prop_spawn(join_spawn_fn *real, pid_t *pid, const char *path,
                    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                    char *const argv[], char *const envp[], uint64_t t0);
#endif
