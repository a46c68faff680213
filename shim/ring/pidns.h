/* SPDX-License-Identifier: MIT */
/*
 * pidns.h - whose pid numbers a process writes (docs/DESIGN.md, "PID
 * namespaces").  A process outside its collector's pid namespace marks its
 * events with its namespace and tells the collector once who it is; the
 * collector (nsmap.h) puts its pids into its own pid space.
 */
#ifndef JOIN_PIDNS_H
#define JOIN_PIDNS_H
#include "base/record.h"
#include "base/sys.h"
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#define JOIN_PIDNS_INIT    0xEFFFFFFCull /* the initial pid namespace's inode (PROC_PID_INIT_INO) */
#define JOIN_PIDNS_UNKNOWN UINT64_MAX    /* no /proc/self/ns/pid to read */
#define JOIN_HELLO_MAGIC   0x4f4c4c454e494f4aull /* "JOINHELO" */

/* What a process of another pid namespace sends the collector's socket; the kernel
 * adds its pid as the collector sees it (SCM_CREDENTIALS). */
struct join_hello {
	uint64_t magic;
	uint64_t ns; /* its pid namespace's inode, JOIN_PIDNS_UNKNOWN */
	int32_t pid; /* as it sees itself */
	char comm[JOIN_COMM_MAX];
};

/* The pid namespace of the caller (its inode), JOIN_PIDNS_UNKNOWN without /proc.
 * Inline: the ring's maker (ringfile.c) needs it, and pidns.c needs the ring. */
static inline uint64_t join_pidns_own(void)
{
	struct stat st;
	if (join_sys_stat("/proc/self/ns/pid", &st) < 0)
		return JOIN_PIDNS_UNKNOWN;
	return (uint64_t)st.st_ino;
}
/* 0 when this process's pids are numbers of the reference space (its collector's, or
 * without one the initial namespace's); else its namespace.  Taken once per process
 * (at its first event), then one comparison. */
uint64_t join_pidns_mark(void);
/* Who writes, as a line names it: pid (0 beside local_pid when the log's pids are a
 * collector's of another namespace), namespace and comm (a system call). */
struct join_self;
void join_pidns_self(struct join_self *me);
/* 1 the first time pid writes an await record of another namespace: a '#' line
 * says whose numbers follow. */
int join_pidns_say(pid_t pid);
/* Does /proc/self name the caller by self, its pid in its own namespace? */
int join_pidns_proc_names(pid_t self);
/* May /proc/<pid> be read with the pids this process sees?  Not when its /proc is
 * another namespace's (unshare --pid without --mount-proc). */
int join_pidns_proc_ok(void);
/* A process of another namespace says who it is, once per pid, to the collector of
 * the ring at ring_path (before its first event there). */
void join_pidns_hello(const char *ring_path, pid_t self, uint64_t ns);
/* unshare or setns of a pid namespace: the children made from now on live in
 * another namespace, and find out theirs again (join_pidns_child). */
void join_pidns_kids_elsewhere(void);
/* Has this process (or the parent whose memory a vfork child shares) unshared a pid
 * namespace?  A vfork child of it must not take a verdict into its parent's memory. */
int join_pidns_unshared(void);
/* In a forked child: the parent's verdict is not ours if its children live elsewhere. */
void join_pidns_child(void);
/* In a child made with CLONE_NEWPID: take the verdict again. */
void join_pidns_forget(void);
/* The socket of the ring at ring_path; 0 if the path does not fit. */
struct sockaddr_un;
int join_pidns_addr(const char *ring_path, struct sockaddr_un *a);
#endif
