/* SPDX-License-Identifier: MIT */
/*
 * checks.c - what joinrun checks before it runs anything: a long build must
 * not be wasted on an output that cannot be written, a log that would be
 * written through a symbolic link, or JOIN_* values that every process of
 * the tree would warn about.  Each check prints its message and returns -1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "collector/opaque.h"
#include "base/config.h"
#include "log/diag.h"
#include "tools.h"

/* An output made after CMD (--trace, --plot): writable now?  A file made to
 * find out is removed again; an existing one is not touched. */
int jr_check_output(const char *opt, const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd >= 0) {
		close(fd);
		unlink(path);
		return 0;
	}
	if (errno == EEXIST)
		fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "joinrun: %s %s: %s\n", opt, path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

/* Does l begin as an await record: four numbers, each followed by a blank? */
static int await_record(const char *l)
{
	for (int f = 0; f < 4; f++) {
		if (*l < '0' || *l > '9')
			return 0;
		while (*l >= '0' && *l <= '9')
			l++;
		if (*l++ != ' ')
			return 0;
	}
	return 1;
}

/* The format of the log at fd, by its first line that is not a '#' diagnostic:
 * "jsonl" (an object), "await" (a record; or only diagnostics), "" when empty or
 * unreadable (write-only: not ours to judge), NULL when it is no log. */
static const char *log_format(int fd)
{
	char b[4096];
	ssize_t n = pread(fd, b, sizeof b - 1, 0);
	if (n <= 0)
		return "";
	b[n] = 0;
	for (char *l = b, *nl; *l; l = nl + 1) {
		if (*l == '{')
			return "jsonl";
		if (await_record(l))
			return "await";
		if (*l != '#' || !(nl = strchr(l, '\n')))
			return NULL;
	}
	return "await";
}

/* An existing log takes lines of its own format only: mixed, neither reads it. */
static int same_format(int fd, const char *path, const char *format)
{
	const char *has = log_format(fd);
	if (has && (!*has || !strcmp(has, format)))
		return 0;
	if (!has)
		fprintf(stderr,
		        "joinrun: -o %s: holds something that is no log of libjoin's: nothing "
		        "run, the file is unchanged (name a new file)\n",
		        path);
	else
		fprintf(stderr,
		        "joinrun: -o %s: %s log; this run would append %s: nothing run, the file "
		        "is unchanged (-f %s appends to it, or name a new file)\n",
		        path, !strcmp(has, "jsonl") ? "a JSONL" : "an await", format, has);
	return -1;
}

/* -o FILE: made by us, or an existing regular file that this run appends to, holding a
 * log of the same format; never a link, never truncated (what it holds may be
 * someone's).  *at is where this run's lines begin, for the analysis of this run alone. */
int jr_check_log(const char *path, const char *format, long *at)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	*at = 0;
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == EEXIST)
		fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EISDIR))
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP) {
		fprintf(stderr,
		        "joinrun: -o %s: a symbolic link: joinrun does not write through one\n",
		        path);
		return -1;
	}
	if (fd < 0) {
		fprintf(stderr, "joinrun: -o %s: %s\n", path, strerror(errno));
		return -1;
	}
	int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	*at = regular ? (long)st.st_size : 0;
	int rc = regular && *at ? same_format(fd, path, format) : 0;
	close(fd);
	return rc;
}

/* The JOIN_* values CMD will get, read by the library's own parser: a bad one is
 * one message here, not a warning from every process of the tree. */
int jr_check_env(char **envp)
{
	static struct join_config c; /* a PATH_MAX inside */
	struct join_config_warning warn[JOIN_CONFIG_WARNINGS];
	size_t n = join_config_parse(&c, envp, 0, warn, JOIN_CONFIG_WARNINGS);
	for (size_t i = 0; i < n; i++) {
		char text[512];
		warn[i].fallback = NULL; /* joinrun stops instead */
		join_diag_config_text(text, sizeof text, &warn[i]);
		fprintf(stderr, "joinrun: %s\n", text);
	}
	return n ? -1 : 0;
}

/* The file execvp would run for cmd, or NULL. */
static char *lookup(const char *cmd)
{
	if (strchr(cmd, '/'))
		return strdup(cmd);
	const char *path = getenv("PATH");
	char *dirs = strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin"), *save, *d;
	char *found = NULL;
	for (d = strtok_r(dirs, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *f;
		if (asprintf(&f, "%s/%s", *d ? d : ".", cmd) < 0)
			break;
		if (access(f, X_OK) == 0)
			found = f;
		else
			free(f);
	}
	free(dirs);
	return found;
}

/* A static program loads no library: say so once, as the log will have nothing of it. */
void jr_note_static(const char *cmd)
{
	char *f = lookup(cmd);
	if (!f)
		return; /* execvp will say it */
	int fd = open(f, O_RDONLY | O_CLOEXEC);
	jr_sanitise(f);
	if (fd >= 0 && join_elf_interp(fd) == 0)
		fprintf(stderr,
		        "joinrun: %s is a static binary: libjoin cannot be loaded into it, so "
		        "the children it makes are not recorded\n",
		        f);
	if (fd >= 0)
		close(fd);
	free(f);
}
