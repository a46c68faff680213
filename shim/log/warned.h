/* SPDX-License-Identifier: MIT */
/* warned.h - bad JOIN_* values warned about once for the tree (JOIN_WARNED). */
#ifndef JOIN_WARNED_H
#define JOIN_WARNED_H
#include <stddef.h>

/* Drops from warn (len bytes of "# libjoin: JOIN_X=...\n" lines) those about a
 * variable that JOIN_WARNED in envp lists: a process of the tree said it already.
 * Returns the new length (NUL-terminated when shorter). */
size_t join_warned_filter(char *warn, size_t len, char **envp);
/* JOIN_WARNED as it must be for the descendants, or NULL when unchanged. */
const char *join_warned_update(void);
#endif
