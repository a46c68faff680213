/* SPDX-License-Identifier: MIT */
/* reap.h - the engine's one way to collect a child: peek, then reap, then record. */
#ifndef JOIN_REAP_H
#define JOIN_REAP_H
#include "base/record.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

/* Peeks (WNOWAIT) for an event of (type, id) with waitid-style options.
 * Returns 1 with *si filled, 0 when WNOHANG found nothing, -1 with errno. */
int join_peek(idtype_t type, id_t id, int options, siginfo_t *si);
/* Is si an exit (not a stop or a continue)? */
int join_si_exited(const siginfo_t *si);
/* Before the reap of the exited child in si: fills r (comm, start if untracked). */
void join_rec_begin(struct join_rec *r, const siginfo_t *si, int call);
/* After the reap: status word and rusage into r, table settled, record written.
 * Returns 1 when the record is complete (and was written), 0 if parked. */
int join_rec_end(struct join_rec *r, int status, const struct rusage *ru);
/* wait4(pid) of one peeked child, never blocking: returns pid, 0 if it is gone. */
pid_t join_reap_pid(pid_t pid, int *status, int options, struct rusage *ru);
/* Wait status word of a waitid siginfo. */
int join_si_status(const siginfo_t *si);
/* ECHILD for (type, id): children of ours are gone (SIGCHLD ignored); expire them. */
void join_reap_echild(idtype_t type, id_t id);
#endif
