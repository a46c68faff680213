/* SPDX-License-Identifier: MIT */
/* empty.c - an empty preloaded library: the floor of any LD_PRELOAD tool. */
void join_bench_empty(void);
void join_bench_empty(void)
{
}
