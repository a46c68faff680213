/* SPDX-License-Identifier: MIT */
/* propagate.c - TRACEPARENT naming each process's own span (propagate.h). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "trace/propagate.h"

int join_prop_on;
static struct join_tracectx ctx; /* ctx.span: this process's span, once resolved */
/* TRACEPARENT as the process found it (the initial environment is never freed),
 * read at the first fork, spawn or exec: a process that makes none pays nothing. */
static const char *found;
static int parsed;

/* Per thread: the instant of a fork this thread made, which the child finds in its
 * copy (or, after vfork, in the memory it shares) while it has not resolved its span. */
static __thread struct {
	uint64_t t0;
	int pending;
} slot __attribute__((tls_model("initial-exec")));

void join_prop_load(const char *traceparent)
{
	found = traceparent;
	parsed = 0;
	join_prop_on = traceparent != NULL;
}

/* Parsed on first use; an invalid value turns propagation off.  A vfork child may be
 * the first: it writes what its parent would, the same values. */
static int ready(void)
{
	if (!parsed) {
		parsed = 1;
		join_prop_on = join_traceparent_parse(found, &ctx) == 0;
	}
	return join_prop_on;
}

uint64_t join_prop_self(void)
{
	if (!ready())
		return 0;
	return slot.pending ? join_span_of(ctx.trace, ctx.span, slot.t0) : ctx.span;
}

void join_prop_before_fork(uint64_t t0)
{
	if (!join_prop_on || !ready())
		return;
	ctx.span = join_prop_self(); /* a forked child about to fork: its own span first */
	slot.t0 = t0;
	slot.pending = 1;
}

void join_prop_after_fork(void)
{
	/* Written only when set: after a fork the page of this thread's TLS is shared
	 * with the child, and a write would cost the parent a copy of it every fork. */
	if (slot.pending)
		slot.pending = 0;
}

static int is_traceparent(const char *s)
{
	static const char name[] = "TRACEPARENT=";
	for (size_t i = 0; i < sizeof name - 1; i++)
		if (s[i] != name[i])
			return 0;
	return 1;
}

size_t join_prop_env_size(char *const envp[])
{
	size_t n = 0;
	while (envp && envp[n])
		n++;
	return n + 2; /* TRACEPARENT perhaps added, and the NULL */
}

/* "TRACEPARENT=" and the value found, with span in place of its span id. */
static void var_of(char var[JOIN_PROP_VAR_LEN], uint64_t span)
{
	uint8_t b[8];
	memcpy(var, "TRACEPARENT=", 12);
	memcpy(var + 12, found, JOIN_TRACEPARENT_LEN);
	var[12 + JOIN_TRACEPARENT_LEN] = 0;
	for (int i = 0; i < 8; i++)
		b[i] = (uint8_t)(span >> (56 - 8 * i));
	join_hex(var + 12 + 36, b, 8);
	var[12 + 1] = '0'; /* version 00: what we write is level 1 */
	var[12] = '0';
}

char **join_prop_env(char *const envp[], uint64_t span, char var[JOIN_PROP_VAR_LEN], char **out,
                     size_t cap)
{
	var_of(var, span);
	size_t n = 0;
	int put = 0;
	for (size_t i = 0; envp && envp[i]; i++) {
		if (n + 2 > cap)
			return NULL;
		if (envp[i][0] != 'T' || !is_traceparent(envp[i]))
			out[n++] = envp[i];
		else if (!put++)
			out[n++] = var;
	}
	if (n + 2 > cap)
		return NULL;
	if (!put)
		out[n++] = var;
	out[n] = NULL;
	return out;
}

int join_prop_spawn(join_spawn_fn *real, pid_t *pid, const char *path,
                    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
                    char *const argv[], char *const envp[], uint64_t t0)
{
	if (!join_prop_on || !ready())
		return real(pid, path, fa, attr, argv, envp);
	ctx.span = join_prop_self();
	size_t cap = join_prop_env_size(envp), bytes = cap * sizeof(char *);
	char var[JOIN_PROP_VAR_LEN];
	int err = errno;
	char **out = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	errno = err;
	if (out == MAP_FAILED) /* the child then names its parent's span: said in joinrun(1) */
		return real(pid, path, fa, attr, argv, envp);
	int r = real(pid, path, fa, attr, argv,
	             join_prop_env(envp, join_span_of(ctx.trace, ctx.span, t0), var, out, cap));
	err = errno;
	munmap(out, bytes);
	errno = err;
	return r;
}
