/* SPDX-License-Identifier: MIT */
/*
 * strerror.c - the words for an errno in a warning, async-signal-safe and without
 * glibc's strerrordesc_np (GLIBC_2.32: one more symbol version for the loader to
 * check at every exec of a preloaded program).  The errors a log or a ring can
 * meet; "error N" for the rest.
 */
#include "text/strerror.h"
#include "base/num.h"
#include <errno.h>
#include <string.h>

static const struct {
	int err;
	const char *text;
} words[] = {
    {EPERM, "Operation not permitted"},
    {ENOENT, "No such file or directory"},
    {EIO, "Input/output error"},
    {EBADF, "Bad file descriptor"},
    {EACCES, "Permission denied"},
    {EEXIST, "File exists"},
    {ENOTDIR, "Not a directory"},
    {EISDIR, "Is a directory"},
    {EINVAL, "Invalid argument"},
    {ENFILE, "Too many open files in system"},
    {EMFILE, "Too many open files"},
    {EFBIG, "File too large"},
    {ENOSPC, "No space left on device"},
    {EROFS, "Read-only file system"},
    {EPIPE, "Broken pipe"},
    {ENAMETOOLONG, "File name too long"},
    {ELOOP, "Too many levels of symbolic links"},
    {EDQUOT, "Disk quota exceeded"},
    {ENXIO, "No such device or address"},
    {EAGAIN, "Resource temporarily unavailable"},
    {ENOSYS, "Function not implemented"},
    {ESRCH, "No such process"},
    {ENOMEM, "Cannot allocate memory"},
};

const char *join_strerror(int err, char tmp[32])
{
	for (size_t i = 0; i < sizeof words / sizeof *words; i++)
		if (words[i].err == err)
			return words[i].text;
	memcpy(tmp, "error ", 6);
	join_itoa(tmp + 6, err);
	return tmp;
}
