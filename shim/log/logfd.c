/* SPDX-License-Identifier: MIT */
/*
 * logfd.c - is a log descriptor (stderr, fd:N) still the file it was when the
 * library loaded?  A program may close descriptor 2 and open a data file of
 * its own, which takes the number: a record written there would corrupt the
 * program's data.  So the constructor notes the device and inode behind each
 * such number (one fstat each), and every record to a descriptor looks again
 * (one fstat, which also says whether the write may raise SIGPIPE or
 * SIGXFSZ: logwrite.c).  Kept in ordinary memory: a forked child holds the
 * same descriptors and inherits the answer; an exec'd program notes its own.
 *
 * Only the file is compared, not the open file description: the kernel names
 * one only to a process holding a second descriptor (kcmp), and we hold none.
 * The program reopening the very file it had on the number (its terminal, the
 * file stderr was redirected to) is the same destination and keeps its log.
 */
#include "log/log.h"
#include "base/hotpage.h"
#include "base/sys.h"
#include <errno.h>

enum { UNKNOWN, OPEN, CLOSED }; /* what the number was at load */

static struct logfd_id {
	int fd, state;
	dev_t dev;
	ino_t ino;
} ids[2] JOIN_AT_LOAD;

static void note(struct logfd_id *id, int fd)
{
	struct stat st;
	id->fd = fd;
	if (join_sys_fstat_bare(fd, &st) < 0) {
		id->state = CLOSED;
	} else {
		id->dev = st.st_dev;
		id->ino = st.st_ino;
		id->state = OPEN;
	}
}

void join_logfd_remember(int fd)
{
	note(&ids[0], 2); /* where diagnostics go, whatever the log; errno untouched */
	if (fd >= 0 && fd != 2)
		note(&ids[1], fd);
}

int join_logfd_check(int fd, struct stat *st)
{
	const struct logfd_id *id = ids[0].fd == fd && ids[0].state   ? &ids[0]
	                            : ids[1].fd == fd && ids[1].state ? &ids[1]
	                                                              : NULL;
	if (join_sys_fstat(fd, st) < 0)
		return -1;
	if (!id) /* not noted at load (a program linked with -ljoin, say): as it is */
		return 0;
	if (id->state == CLOSED || id->dev != st->st_dev || id->ino != st->st_ino)
		return -2;
	return 0;
}
