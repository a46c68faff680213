/* SPDX-License-Identifier: MIT */
/* errstr.h - set the calling thread's join_errstr text and errno together. */
#ifndef JOIN_ERRSTR_H
#define JOIN_ERRSTR_H
void join_seterr(int err, const char *msg);
#endif
