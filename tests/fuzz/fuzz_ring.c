/* SPDX-License-Identifier: MIT */
/*
 * fuzz_ring.c - the collector's reader on ring contents that anyone in the
 * tree could have written: the input is laid over the slots (sequences,
 * claims and events as they come), then every position is taken and each
 * event it accepts is formatted in both formats with a short and a long
 * buffer.  Properties: no crash, a line never longer than its buffer, a line
 * ends in a newline, and every slot is either an event or counted as bad.
 */
#include "fuzz.h"
#include "base/config.h"
#include "ring/ring.h"

#define SLOTS 8

static struct join_ring *R;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[2048];
	if (!R)
		R = aligned_alloc(4096, JOIN_RING_SIZE);
	memset(&R->h, 0, sizeof R->h);
	memset(R->slot, 0, SLOTS * sizeof R->slot[0]);
	size_t n = size < SLOTS * sizeof R->slot[0] ? size : SLOTS * sizeof R->slot[0];
	memcpy(R->slot, data, n);
	R->h.tail = SLOTS;
	uint64_t ok = 0;
	for (uint64_t pos = 0; pos < SLOTS; pos++) {
		struct join_event ev;
		int k = join_ring_take(R, pos, &ev, 0);
		CHECK(k >= -2 && k <= 1, "take gave %d", k);
		if (k != 1)
			continue;
		ok++;
		for (int f = 0; f < 2; f++) {
			join_cfg.format = f;
			join_cfg.style = (int)(pos & 1);
			size_t caps[] = {7, 64, sizeof buf};
			for (size_t c = 0; c < 3; c++) {
				size_t len = join_event_line(buf, caps[c], &ev);
				CHECK(len <= caps[c], "line of %zu bytes in %zu", len, caps[c]);
				CHECK(len == 0 || buf[len - 1] == '\n', "line without its newline");
			}
		}
	}
	CHECK(R->h.bad + ok <= SLOTS, "more events than slots");
	return 0;
}
