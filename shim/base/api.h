/* SPDX-License-Identifier: MIT */
/* api.h - marks the definitions of join.h's functions as exported; the rest
 * of the library is hidden (-fvisibility=hidden, preload/libjoin.map). */
#ifndef JOIN_API_H
#define JOIN_API_H
#define JOIN_API __attribute__((visibility("default")))
#endif
