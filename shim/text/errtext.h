/* SPDX-License-Identifier: MIT */
/* errtext.h - an errno's words for a warning (errtext.c). */
#ifndef JOIN_ERRTEXT_H
#define JOIN_ERRTEXT_H
/* The text of err; tmp receives "error N" for one without words. */
const char *join_errtext(int err, char tmp[32]);
#endif
