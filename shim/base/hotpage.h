/* SPDX-License-Identifier: MIT */
/*
 * hotpage.h - the engine's written state on one page of its own (the "hot page"),
 * which a forked child finds zeroed.
 *
 * After every fork the parent takes a page fault for each page it writes
 * again (a 4 KB copy while the child lives), and the child copies each page
 * it writes.  So what a fork+reap cycle writes is gathered here, each file's
 * part as its own type (JOIN_HOT_PART), and at the process's first fork the
 * page is made wipe-on-fork (MADV_WIPEONFORK, Linux 4.14): the kernel then
 * leaves the parent's page writable and gives a forked child a zeroed one,
 * which is exactly the state a child starts with (an empty table, a free
 * lock, nothing cached).  Zero is therefore every part's initial state.
 */
#ifndef JOIN_HOTPAGE_H
#define JOIN_HOTPAGE_H
#include <errno.h>

#define JOIN_PAGE 4096

struct join_hot {
	_Alignas(
	    64) unsigned char arena[JOIN_PAGE - 1408]; /* arena.c: state, first buckets, slots */
	_Alignas(64) unsigned char tab[1152];          /* table.c: scalars and the pid filter */
	_Alignas(64) unsigned char lock[64];           /* lock.c: the lock word */
	_Alignas(64) unsigned char defer[64];          /* defer.c: updates of nested handlers */
	_Alignas(64) unsigned char log[64];            /* log.c: warned once */
	_Alignas(64) unsigned char self[64];           /* self.c: the cached pid */
};
_Static_assert(sizeof(struct join_hot) == JOIN_PAGE, "the hot state is one page");
extern struct join_hot join_hot;

/* A file's part of the page as its own type.  Each file names its part HOT
 * (#define HOT JOIN_HOT_PART(struct table_hot, tab)), so that every write to the
 * shared page reads as one: HOT.table, never a bare name. */
#define JOIN_HOT_PART(type, area) (*(type *)(void *)join_hot.area)

/* Before a fork-like call: the first one makes the page wipe-on-fork (hotpage.c). */
void join_hot_wipe(void);
/* Is it?  Then a forked child has nothing to reset. */
extern int join_hot_wiped;

/* Code a forked child runs before it exits (the fork interposer's return, _exit, a
 * watched child's exit event): together in .text.hot, on one page, because in the
 * child every page of our text it reaches is one more page fault (the linker keeps
 * the prefix: -z keep-text-section-prefix). */
#define JOIN_CHILD_PATH __attribute__((section(".text.hot.join_child")))

/* What every preloaded process reads or writes between its load and its exit even
 * if it never makes a child (the constructor's notes, the exit's flags): in .data,
 * whose page the loader writes anyway (the GOT beside it), not on a page of .bss
 * that would be one more page fault at every exec. */
#define JOIN_AT_LOAD __attribute__((section(".data")))

/* errno lives on the thread's TLS page: put it back only if it changed, so that
 * a call that succeeded writes nothing there. */
static inline void join_errno_restore(int err)
{
	if (errno != err)
		errno = err;
}
#endif
