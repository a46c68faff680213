/* dup.c - dup2 puts another file on a descriptor number: if it is the log's, what we
 * know of it (shim/logfd.c: may it raise SIGPIPE?) no longer holds.  dup3, rarer,
 * would need a symbol version node of its own (GLIBC_2.9): see README. */
#include "engine.h"
#include "intercept.h"
#include "log.h"
#include <unistd.h>

INTERCEPT(int, dup2, int old, int fd)
{
	int r = REAL(dup2)(old, fd);
	join_logfd_forget(fd);
	return r;
}
