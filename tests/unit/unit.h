/* SPDX-License-Identifier: MIT */
/* unit.h - what every cmocka unit test of the engine includes. */
#ifndef JOIN_UNIT_H
#define JOIN_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#endif
