/* SPDX-License-Identifier: MIT */
/*
 * num.h - byte-level helpers shared by the text formatters: decimal
 * numbers without stdio and UTF-8 sequence lengths.  Async-signal-safe.
 */
#ifndef JOIN_NUM_H
#define JOIN_NUM_H

#include <stddef.h>
#include <stdint.h>

#define JOIN_NUM_MAX 21 /* "-9223372036854775808" or UINT64_MAX: 20 bytes, and a NUL */

/* Writes v in decimal into out (JOIN_NUM_MAX bytes of room), NUL-terminated;
 * returns the length without the NUL. */
size_t join_utoa(char *out, uint64_t v);
size_t join_itoa(char *out, int64_t v);

/* Length (1-4) of the well-formed UTF-8 sequence that starts s (n bytes
 * available), or 0 if s does not start one: overlong forms, surrogates,
 * values above U+10FFFF and cut sequences are not well-formed. */
size_t join_utf8_len(const char *s, size_t n);

/* A decimal number after optional blanks and sign, as strtol(s, end, 10), held at
 * LONG_MIN/LONG_MAX.  Ours: glibc 2.38's C23 strtol (under _GNU_SOURCE) is another
 * symbol version (__isoc23_strtol), and the library must load on glibc 2.34. */
long join_strtol(const char *s, char **end);

#endif
