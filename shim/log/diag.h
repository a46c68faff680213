/* SPDX-License-Identifier: MIT */
/* diag.h - libjoin's own diagnostics, "# libjoin: " lines (diag.c). */
#ifndef JOIN_DIAG_H
#define JOIN_DIAG_H
#include <stddef.h>

struct join_config_warning; /* base/config.h */

/* One JOIN_DIAG line of the pieces given, up to a NULL: to the log (a warning event in
 * a JSONL log), to stderr when there is no log or it refuses the line. */
void join_diag(const char *first, ...) __attribute__((sentinel));
/* Bad values (config.c's, or a setting that cannot be honoured), each in the one
 * wording "# libjoin: JOIN_X=<value>: <why>; using <fallback>", the same way; in a
 * JSONL log a warning event with the variable and the value as fields. */
void join_diag_config(const struct join_config_warning *w, size_t n);
/* That wording without "# libjoin: " and the newline, into buf (at most cap bytes,
 * NUL-terminated when cap > 0): for joinrun and tests.  Its full length. */
size_t join_diag_config_text(char *buf, size_t cap, const struct join_config_warning *w);
#endif
