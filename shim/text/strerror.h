/* SPDX-License-Identifier: MIT */
/* strerror.h - an errno's words for a warning (strerror.c). */
#ifndef JOIN_STRERROR_H
#define JOIN_STRERROR_H
/* The text of err; tmp receives "error N" for one without words. */
const char *join_strerror(int err, char tmp[32]);
#endif
