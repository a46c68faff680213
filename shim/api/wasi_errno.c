/* SPDX-License-Identifier: MIT */
/*
 * wasi_errno.c - WASI errno values <-> Linux errno.
 *
 * The table is WASI preview 1's errno list (0-76) plus WASIX's SHUTDOWN,
 * MEMVIOLATION and UNKNOWN (77-79), indexed by the WASI value.  Plain
 * lookups: safe in a signal handler.
 */
#include "base/api.h"
#include "join.h"
#include <errno.h>

static const unsigned char linux_of[] = {
    0,
    E2BIG,
    EACCES,
    EADDRINUSE,
    EADDRNOTAVAIL,
    EAFNOSUPPORT,
    EAGAIN,
    EALREADY,
    EBADF,
    EBADMSG,
    EBUSY,
    ECANCELED,
    ECHILD,
    ECONNABORTED,
    ECONNREFUSED,
    ECONNRESET,
    EDEADLK,
    EDESTADDRREQ,
    EDOM,
    EDQUOT,
    EEXIST,
    EFAULT,
    EFBIG,
    EHOSTUNREACH,
    EIDRM,
    EILSEQ,
    EINPROGRESS,
    EINTR,
    EINVAL,
    EIO,
    EISCONN,
    EISDIR,
    ELOOP,
    EMFILE,
    EMLINK,
    EMSGSIZE,
    EMULTIHOP,
    ENAMETOOLONG,
    ENETDOWN,
    ENETRESET,
    ENETUNREACH,
    ENFILE,
    ENOBUFS,
    ENODEV,
    ENOENT,
    ENOEXEC,
    ENOLCK,
    ENOLINK,
    ENOMEM,
    ENOMSG,
    ENOPROTOOPT,
    ENOSPC,
    ENOSYS,
    ENOTCONN,
    ENOTDIR,
    ENOTEMPTY,
    ENOTRECOVERABLE,
    ENOTSOCK,
    ENOTSUP,
    ENOTTY,
    ENXIO,
    EOVERFLOW,
    EOWNERDEAD,
    EPERM,
    EPIPE,
    EPROTO,
    EPROTONOSUPPORT,
    EPROTOTYPE,
    ERANGE,
    EROFS,
    ESPIPE,
    ESRCH,
    ESTALE,
    ETIMEDOUT,
    ETXTBSY,
    EXDEV,
    EPERM,     /* 76 NOTCAPABLE: Linux has no capability errno; "not permitted" is nearest */
    ESHUTDOWN, /* 77 */
    EFAULT,    /* 78 MEMVIOLATION: a bad pointer */
    EINVAL,    /* 79 UNKNOWN */
};
_Static_assert(sizeof linux_of == 80, "WASI(X) errno values 0-79");

JOIN_API uint16_t join_wasi_errno(int e)
{
	/* A bad pointer passed to libjoin is what a WASIX runtime calls a memory violation. */
	if (e == EFAULT)
		return JOIN_EMEMVIOLATION;
	/* Scan from 1: index 0 (SUCCESS) matches only e == 0, and 76 maps EPERM back to 63. */
	if (e == 0)
		return JOIN_ESUCCESS;
	for (unsigned w = 1; w < 76; w++)
		if (linux_of[w] == e)
			return (uint16_t)w;
	if (e == ESHUTDOWN)
		return 77;
	return JOIN_EINVAL;
}

JOIN_API int join_linux_errno(uint16_t w)
{
	if (w < sizeof linux_of)
		return linux_of[w];
	return EINVAL;
}
