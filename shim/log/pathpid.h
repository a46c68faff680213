/* SPDX-License-Identifier: MIT */
/* pathpid.h - a log path's %p, expanded by the library at each write and by
 * joinrun to find the files a %p log became. */
#ifndef JOIN_PATHPID_H
#define JOIN_PATHPID_H
#include <stddef.h>

/* in with every %p replaced by rep and every %% by one %, into out (cap bytes, NUL
 * included).  glob: the rest is escaped for glob(3) (rep "*" then matches any pid).
 * Returns the length, or -1 if it does not fit.  Async-signal-safe. */
int join_path_pid(char *out, size_t cap, const char *in, const char *rep, int glob);
#endif
