/* SPDX-License-Identifier: MIT */
/* clock.h - the one clock: CLOCK_MONOTONIC in nanoseconds (vDSO, signal-safe). */
#ifndef JOIN_CLOCK_H
#define JOIN_CLOCK_H
#include <stdint.h>
#include <sys/time.h>
#include <time.h>

static inline uint64_t join_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline uint64_t join_tv_us(struct timeval tv)
{
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}
#endif
