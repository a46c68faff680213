/* SPDX-License-Identifier: MIT */
/* warned.h - bad JOIN_* values warned about once for the tree (JOIN_WARNED). */
#ifndef JOIN_WARNED_H
#define JOIN_WARNED_H
#include "base/config.h"
#include <stddef.h>

/* Drops from w (n warnings of config.c) those about a variable that JOIN_WARNED in
 * envp lists: a process of the tree said it already.  Returns how many are left. */
size_t join_warned_filter(struct join_config_warning *w, size_t n, char **envp);
/* JOIN_WARNED as it must be for the descendants, or NULL when unchanged. */
const char *join_warned_update(void);
#endif
