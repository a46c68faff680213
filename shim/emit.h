/* emit.h - records to the log, in the configured format. */
#ifndef JOIN_EMIT_H
#define JOIN_EMIT_H
#include "record.h"
#include "text.h"

void join_emit_reap(const struct join_rec *r);
void join_emit_fork(pid_t child, int how, uint64_t t_ns);
void join_emit_exit(const struct join_rec *r);
void join_emit_zombie(pid_t child, const char *comm, uint64_t age_ms);
/* Who writes: our pid and comm (for JSON lines). */
void join_emit_self(struct join_self *me);
#endif
