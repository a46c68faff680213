/* SPDX-License-Identifier: MIT */
/*
 * nsmap.h - the collector puts the pids that processes of other pid namespaces
 * write into its own pid space (docs/DESIGN.md, "PID namespaces").
 */
#ifndef JOIN_NSMAP_H
#define JOIN_NSMAP_H
#include <sys/types.h>

struct join_event;
struct join_self;
/* The socket beside the ring at ring_path where such processes say who they are
 * (pidns.h, struct join_hello); before the tree starts.  Its descriptor, -1. */
int join_nsmap_listen(const char *ring_path);
/* The socket's descriptor (-1 none), to wait on. */
int join_nsmap_fd(void);
/* Takes the hellos that wait on the socket. */
void join_nsmap_read(void);
/* ev's pids into the collector's space where it knows them; me gets the writer as
 * the line names it, with the marks of what it could not (text.h).  1 when every
 * pid of ev is the collector's now: only then may it open a pidfd or read /proc. */
int join_nsmap_event(struct join_event *ev, struct join_self *me);
/* The line of a reap in another namespace is out: its child's pid may be reused. */
void join_nsmap_reaped(void);
/* Closes and removes the socket. */
void join_nsmap_end(void);
#endif
