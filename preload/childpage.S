/* SPDX-License-Identifier: MIT */
/*
 * childpage.S - the start of .text.hot, where the code a forked child runs before
 * it exits is gathered (JOIN_CHILD_PATH, shim/base/hotpage.h): page-aligned, so that those
 * two kilobytes are one page of text and one page fault in the child.  Linked first.
 */
	.section .text.hot.join_child,"ax",%progbits
	.balign 4096
#include "asmnotes.inc"
