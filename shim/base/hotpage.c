/* SPDX-License-Identifier: MIT */
/* hotpage.c - the hot page (hotpage.h), made wipe-on-fork at the process's first fork. */
#include "base/hotpage.h"
#include <sys/auxv.h>
#include <sys/mman.h>

/* Zero-initialised and page-aligned, so in .bss past the file's last page: private
 * anonymous memory, which MADV_WIPEONFORK takes as it is. */
struct join_hot join_hot __attribute__((aligned(JOIN_PAGE)));
int join_hot_wiped;
static int tried; /* not on the page: a forked child inherits the answer (and the advice) */

/* One madvise, once.  A child forked before it completes finds join_hot_wiped
 * still 0 and resets the page itself; if the kernel refuses (before Linux 4.14),
 * every child does.  So too with pages larger than JOIN_PAGE (64 KB aarch64
 * kernels): the advice would take the data beside the state with it. */
void join_hot_wipe(void)
{
	if (__atomic_load_n(&tried, __ATOMIC_ACQUIRE) ||
	    __atomic_exchange_n(&tried, 1, __ATOMIC_ACQ_REL))
		return;
	int err = errno;
	if (getauxval(AT_PAGESZ) == JOIN_PAGE &&
	    madvise(&join_hot, JOIN_PAGE, MADV_WIPEONFORK) == 0)
		__atomic_store_n(&join_hot_wiped, 1, __ATOMIC_RELEASE);
	join_errno_restore(err);
}
