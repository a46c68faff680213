/* SPDX-License-Identifier: MIT */
/*
 * opaque.c - what libjoin cannot follow into, found by the collector from
 * the file a process exec'd (or the live process itself), never on the
 * program's exec path (docs/DESIGN.md, "Blind spots"):
 *   static      no PT_INTERP: no dynamic loader reads LD_PRELOAD;
 *   setuid      set-user/group-ID bits or file capabilities: secure
 *               execution, where the loader drops LD_PRELOAD;
 *   no-preload  the environment it was given no longer names libjoin.
 * A "#!" script is judged by its interpreter, as the kernel runs it.
 */
#include "collector/opaque.h"
#include "base/num.h"
#include "base/proc.h"
#include "base/record.h"
#include "base/sys.h"
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Has the ELF file at fd a program interpreter (the dynamic loader)?  1 yes, 0 no
 * (static), -1 not an ELF we can read (a script: its interpreter is judged). */
int join_elf_interp(int fd)
{
	Elf64_Ehdr h;
	if (pread(fd, &h, sizeof h, 0) < (ssize_t)EI_NIDENT || memcmp(h.e_ident, ELFMAG, SELFMAG))
		return -1;
	int wide = h.e_ident[EI_CLASS] == ELFCLASS64;
	if (!wide) {
		Elf32_Ehdr h32;
		if (pread(fd, &h32, sizeof h32, 0) != sizeof h32)
			return -1;
		h.e_phoff = h32.e_phoff, h.e_phnum = h32.e_phnum, h.e_phentsize = h32.e_phentsize;
	} else if (pread(fd, &h, sizeof h, 0) != sizeof h)
		return -1;
	for (unsigned i = 0; i < h.e_phnum; i++) {
		uint32_t type;
		off_t at = (off_t)(h.e_phoff + (uint64_t)i * h.e_phentsize);
		if (pread(fd, &type, sizeof type, at) != sizeof type) /* p_type comes first */
			return -1;
		if (type == PT_INTERP)
			return 1;
	}
	return 0;
}

/* The interpreter of a "#!" script into out; 0 if fd holds none. */
static int interpreter(int fd, char *out, size_t cap)
{
	char buf[256];
	ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
	if (n < 3 || buf[0] != '#' || buf[1] != '!')
		return 0;
	buf[n] = 0;
	char *s = buf + 2;
	s += strspn(s, " \t");
	size_t len = strcspn(s, " \t\n");
	if (!len || len >= cap)
		return 0;
	memcpy(out, s, len);
	out[len] = 0;
	return 1;
}

/* Secure execution for a process of ours: a set-ID bit that changes its ids, or
 * file capabilities. */
static int secure(int fd, const struct stat *st)
{
	if ((st->st_mode & S_ISUID) && st->st_uid != geteuid())
		return 1;
	if ((st->st_mode & S_ISGID) && st->st_gid != getegid())
		return 1;
	return join_sys_fgetxattr(fd, "security.capability") > 0;
}

int join_opaque_file(const char *path)
{
	char cur[256], next[256];
	if (strlen(path) >= sizeof cur)
		return JOIN_OPAQUE_NONE;
	strcpy(cur, path);
	for (int depth = 0; depth < 4; depth++) { /* the kernel's own bound on "#!" */
		int fd = open(cur, O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0)
			return JOIN_OPAQUE_NONE;
		int why = JOIN_OPAQUE_NONE, again = 0;
		if (join_sys_fstat(fd, &st) == 0 && secure(fd, &st))
			why = JOIN_OPAQUE_SETUID;
		else if ((again = interpreter(fd, next, sizeof next)))
			strcpy(cur, next);
		else if (join_elf_interp(fd) == 0)
			why = JOIN_OPAQUE_STATIC;
		close(fd);
		if (!again)
			return why;
	}
	return JOIN_OPAQUE_NONE;
}

int join_opaque_env(const char *const *envp, size_t n)
{
	for (size_t i = 0; envp && envp[i] && i < n; i++)
		if (!strncmp(envp[i], "LD_PRELOAD=", 11))
			return strstr(envp[i] + 11, "libjoin") == NULL;
	return 1;
}

/* /proc/pid/status: real and effective ids differ (a set-ID program running). */
static int ids_differ(pid_t pid)
{
	char buf[2048];
	if (!join_proc_text(pid, "status", buf, sizeof buf))
		return 0;
	for (const char *k = buf; (k = strstr(k, "id:\t")); k += 4) {
		char *p, *q;
		long r = join_strtol(k + 4, &p), e = join_strtol(p, &q);
		if ((k[-1] == 'U' || k[-1] == 'G') && p != k + 4 && q != p && r != e)
			return 1;
	}
	return 0;
}

/* Its environment names libjoin in LD_PRELOAD?  -1 unreadable. */
static int env_preloads(pid_t pid)
{
	char path[64];
	static char buf[64 * 1024];
	snprintf(path, sizeof path, "/proc/%d/environ", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	for (char *s = buf; s < buf + n; s += strlen(s) + 1)
		if (!strncmp(s, "LD_PRELOAD=", 11))
			return strstr(s + 11, "libjoin") != NULL;
	return 0;
}

int join_opaque_pid(pid_t pid)
{
	char path[64];
	if (ids_differ(pid))
		return JOIN_OPAQUE_SETUID;
	snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return JOIN_OPAQUE_NONE; /* gone, or not ours to read: no verdict */
	int interp = join_elf_interp(fd);
	close(fd);
	if (interp == 0)
		return JOIN_OPAQUE_STATIC;
	return env_preloads(pid) == 0 ? JOIN_OPAQUE_NO_PRELOAD : JOIN_OPAQUE_NONE;
}

/* Verdicts by file, checked against the file's identity: a build execs the same
 * few compilers thousands of times. */
#define CACHE 64
static struct {
	char path[256];
	dev_t dev;
	ino_t ino;
	struct timespec mtime;
	int why;
} cache[CACHE];
static unsigned next_slot;

static int judged(const char *path)
{
	struct stat st;
	if (join_sys_stat(path, &st) < 0)
		return JOIN_OPAQUE_NONE;
	for (int i = 0; i < CACHE; i++)
		if (cache[i].ino == st.st_ino && cache[i].dev == st.st_dev &&
		    cache[i].mtime.tv_sec == st.st_mtim.tv_sec &&
		    cache[i].mtime.tv_nsec == st.st_mtim.tv_nsec && !strcmp(cache[i].path, path))
			return cache[i].why;
	int why = join_opaque_file(path);
	unsigned i = next_slot++ % CACHE;
	if (strlen(path) < sizeof cache[i].path) {
		strcpy(cache[i].path, path);
		cache[i].dev = st.st_dev;
		cache[i].ino = st.st_ino;
		cache[i].mtime = st.st_mtim;
		cache[i].why = why;
	}
	return why;
}

/* A bare name as execvp and posix_spawnp find it: in PATH (the collector's, which is
 * the tree's unless a process changed its own). */
static int judged_in_path(const char *name)
{
	const char *p = getenv("PATH");
	char full[512];
	for (p = p ? p : "/usr/bin:/bin"; p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (snprintf(full, sizeof full, "%.*s/%s", (int)n, n ? p : ".", name) <
		        (int)sizeof full &&
		    access(full, X_OK) == 0)
			return judged(full);
		p = e ? e + 1 : NULL;
	}
	return JOIN_OPAQUE_NONE;
}

int join_image_judge(pid_t pid, const char *path)
{
	char full[512];
	if (!path[0])
		return JOIN_OPAQUE_NONE;
	if (path[0] == '/')
		return judged(path);
	if (!strchr(path, '/'))
		return judged_in_path(path);
	/* relative to the process's directory, while it is there to ask */
	if (snprintf(full, sizeof full, "/proc/%d/cwd/%s", (int)pid, path) >= (int)sizeof full)
		return JOIN_OPAQUE_NONE;
	return judged(full);
}
