/* SPDX-License-Identifier: MIT */
/*
 * event.h - what a process of the tree tells its collector, as plain binary
 * data in a ring slot (ring.h): the collector turns it into the log's text,
 * the same await records and JSON lines that the direct path writes.
 */
#ifndef JOIN_EVENT_H
#define JOIN_EVENT_H
#include "base/record.h"
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum join_event_type {
	JOIN_EV_FORK = 1, /* the writer made child u.fork.child */
	JOIN_EV_REAP,     /* the writer reaped u.reap.pid */
	JOIN_EV_EXIT,     /* the writer itself is exiting (watch mode) */
	JOIN_EV_EXEC,     /* the writer's command line after an exec (JOIN_ARGV, exec.h) */
	JOIN_EV_IMAGE,    /* u.image.pid is about to exec u.image.path (opaque.h); no line */
};

#define JOIN_IMAGE_PATH 192 /* the slot's rest after the fixed part */

/* An exec event's arguments, NUL-terminated one after another: what fills the rest
 * of a ring slot (ring.h) after the event's fixed part. */
#define JOIN_EXEC_ARGS 196

struct join_event {
	uint8_t type; /* enum join_event_type */
	pid_t pid;    /* the writer, as it sees itself */
	uint64_t t_ns;
	uint64_t pidns; /* 0: pids in the ring's space; else the writer's namespace (pidns.h) */
	char comm[JOIN_COMM_MAX]; /* the writer's, "" unless JSONL needs it */
	union {
		struct {
			pid_t child;
			uint8_t how;
		} fork;
		struct join_rec reap;
		struct {
			int status; /* as wait gives it; -1 unknown (exit() by return from main) */
		} exit;
		struct {
			uint16_t len;      /* bytes of args used */
			uint8_t truncated; /* args holds the first arguments only */
			uint8_t unknown;   /* the command line could not be read */
			char args[JOIN_EXEC_ARGS];
		} exec;
		struct {
			pid_t pid;                  /* the process that execs (a spawned child) */
			uint8_t no_preload;         /* its new environment does not name libjoin */
			uint8_t failed;             /* the exec returned: forget the intent */
			char path[JOIN_IMAGE_PATH]; /* as given to exec; "" if too long */
		} image;
	} u;
};

/* Is ev (from a ring anyone in the tree may write) an event we can format?
 * Terminates its strings.  0 means skip it. */
int join_event_valid(struct join_event *ev);
/* The log line of a fork or reap event in the configured format (config.h), into
 * buf; 0 when it has none (a fork in the await format, an exit event). */
size_t join_event_line(char *buf, size_t cap, const struct join_event *ev);
/* The same, with the pid namespace marks a collector decided (text.h, join_self). */
struct join_self;
size_t join_event_line_as(char *buf, size_t cap, const struct join_event *ev,
                          const struct join_self *me);
struct join_self;
/* A zombie event (JSONL) or "# libjoin: zombie:" line (await) for parent's child. */
size_t join_zombie_line(char *buf, size_t cap, const struct join_self *parent, uint64_t t_ns,
                        pid_t child, const char *comm, uint64_t age_ms);
#endif
