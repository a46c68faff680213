/* SPDX-License-Identifier: MIT */
/* diag.h - libjoin's own diagnostics, "# libjoin: " lines (diag.c). */
#ifndef JOIN_DIAG_H
#define JOIN_DIAG_H
#include <stddef.h>

/* One JOIN_DIAG line of the pieces given, up to a NULL: to the log (a warning event in
 * a JSONL log), to stderr when there is no log or it refuses the line. */
void join_diag(const char *first, ...) __attribute__((sentinel));
/* Lines already formatted ("# libjoin: ...\n" each), the same way. */
void join_diag_write(const char *line, size_t len);
#endif
