/* SPDX-License-Identifier: MIT */
/*
 * jsonl.c - the JSONL event lines (docs/DESIGN.md), written by hand into a
 * caller's buffer (async-signal-safe: no stdio, no malloc).
 *
 * Unknown values are null rather than absent, so every line of an event
 * has the same keys: real_ms when the fork or exit time is unknown,
 * user_ms, sys_ms and the rusage fields without a rusage, late_ms unless
 * the exit time is exact.  An unknown child_comm is "", as in the record.
 * A status that is neither an exit nor a death by signal has "code": null.
 */
#include <string.h>
#include <sys/wait.h>

#include "base/line.h"
#include "base/num.h"
#include "text/text.h"

/* ,"name": (the first key of a line is written by begin()) */
static void key(struct join_line *w, const char *name)
{
	join_line_str(w, ",\"");
	join_line_str(w, name);
	join_line_str(w, "\":");
}

static void str(struct join_line *w, const char *s, size_t n)
{
	join_line_put(w, "\"", 1);
	if (w->len < w->cap)
		w->len += join_json_escape(w->buf + w->len, w->cap - w->len, s, n);
	else
		w->len += join_json_escape(w->buf, 0, s, n);
	join_line_put(w, "\"", 1);
}

/* A comm field: at most JOIN_COMM_MAX bytes, NUL-terminated or not. */
static void comm(struct join_line *w, const char *name, const char *c)
{
	key(w, name);
	str(w, c, c != NULL ? strnlen(c, JOIN_COMM_MAX) : 0);
}

static void u64(struct join_line *w, const char *name, uint64_t v)
{
	char num[JOIN_NUM_MAX];

	key(w, name);
	join_line_put(w, num, join_utoa(num, v));
}

static void i64(struct join_line *w, const char *name, int64_t v)
{
	char num[JOIN_NUM_MAX];

	key(w, name);
	join_line_put(w, num, join_itoa(num, v));
}

static void boolean(struct join_line *w, const char *name, int v)
{
	key(w, name);
	join_line_str(w, v ? "true" : "false");
}

static void null(struct join_line *w, const char *name)
{
	key(w, name);
	join_line_str(w, "null");
}

/* A pid the collector could not put in its own space: null, and beside it as the
 * writer's namespace has it. */
static void pid_field(struct join_line *w, const char *name, pid_t pid, pid_t local)
{
	if (!local) {
		i64(w, name, pid);
		return;
	}
	null(w, name);
	join_line_str(w, ",\"local_");
	join_line_str(w, name);
	join_line_str(w, "\":");
	char num[JOIN_NUM_MAX];
	join_line_put(w, num, join_itoa(num, local));
}

/* "pidns": the namespace whose numbers the line holds (null: unknown). */
static void pidns(struct join_line *w, uint64_t ns)
{
	if (ns == UINT64_MAX)
		null(w, "pidns");
	else if (ns)
		u64(w, "pidns", ns);
}

/* {"event":...,"pid":...,"comm":...,"t_ns":...[,"pidns":...] */
static void begin(struct join_line *w, const char *event, const struct join_self *me, uint64_t t_ns)
{
	join_line_str(w, "{\"event\":\"");
	join_line_str(w, event);
	join_line_str(w, "\"");
	pid_field(w, "pid", me->pid, me->local_pid);
	comm(w, "comm", me->comm);
	u64(w, "t_ns", t_ns);
	pidns(w, me->pidns);
}

/* Closes the line; 0 when it did not fit, whatever was written. */
static size_t end(struct join_line *w)
{
	join_line_put(w, "}\n", 2);
	return join_line_fits(w) ? w->len : 0;
}

/* "code" or "signal", then "core". */
static void status(struct join_line *w, int st)
{
	if (WIFEXITED(st))
		i64(w, "code", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		i64(w, "signal", WTERMSIG(st));
	else
		null(w, "code");
	boolean(w, "core", WIFSIGNALED(st) && WCOREDUMP(st));
}

size_t join_jsonl_fork(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                       pid_t child, int how)
{
	struct join_line w = {buf, cap, 0};

	begin(&w, "fork", me, t_ns);
	pid_field(&w, "child", child, me->local_child);
	key(&w, "how");
	join_line_str(&w, "\"");
	join_line_str(&w, join_how_name(how));
	join_line_str(&w, "\"");
	return end(&w);
}

size_t join_jsonl_exit(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                       const struct join_rec *r)
{
	struct join_line w = {buf, cap, 0};

	begin(&w, "exit", me, t_ns);
	pid_field(&w, "child", r->pid, me->local_child);
	status(&w, r->status);
	boolean(&w, "exact", r->exact);
	return end(&w);
}

static void maybe(struct join_line *w, const char *name, int known, int64_t v)
{
	if (known)
		i64(w, name, v);
	else
		null(w, name);
}

static void maybe_u(struct join_line *w, const char *name, int known, uint64_t v)
{
	if (known)
		u64(w, name, v);
	else
		null(w, name);
}

/* A string field, or null when s is NULL. */
static void str_or_null(struct join_line *w, const char *name, const char *s, size_t n)
{
	if (!s) {
		null(w, name);
		return;
	}
	key(w, name);
	str(w, s, n);
}

/* The word for an opaque mark (record.h); here, with the records that print it. */
const char *join_opaque_name(int why)
{
	static const char names[][12] = {
	    [JOIN_OPAQUE_STATIC] = "static",
	    [JOIN_OPAQUE_SETUID] = "setuid",
	    [JOIN_OPAQUE_NO_PRELOAD] = "no-preload",
	};
	if (why <= JOIN_OPAQUE_NONE || why >= JOIN_OPAQUE_N)
		return NULL;
	return names[why];
}

size_t join_jsonl_reap(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                       const struct join_rec *r)
{
	struct join_line w = {buf, cap, 0};
	unsigned long ms[3];
	int ru = r->has_ru;

	join_rec_ms(r, JOIN_STYLE_PLAN9, ms);
	begin(&w, "reap", me, t_ns);
	pid_field(&w, "child", r->pid, me->local_child);
	comm(&w, "child_comm", r->comm);
	pid_field(&w, "tid", r->tid, me->local_tid);
	key(&w, "call");
	join_line_str(&w, "\"");
	join_line_str(&w, join_call_name(r->call));
	join_line_str(&w, "\"");
	status(&w, r->status);
	/* CPU in microseconds as rusage gives it, real time in nanoseconds; the *_ms
	 * fields of earlier releases stay one release (deprecated). */
	maybe_u(&w, "user_us", ru, r->user_us);
	maybe_u(&w, "sys_us", ru, r->sys_us);
	maybe_u(&w, "self_user_us", ru && r->has_self, r->self_user_us);
	maybe_u(&w, "self_sys_us", ru && r->has_self, r->self_sys_us);
	maybe(&w, "self_maxrss_kb", ru && r->has_self_rss, r->self_maxrss_kb);
	int real = r->has_fork && r->has_exit && r->exit_ns >= r->fork_ns;
	maybe_u(&w, "real_ns", real, r->exit_ns - r->fork_ns);
	maybe_u(&w, "user_ms", ru, ms[0]);
	maybe_u(&w, "sys_ms", ru, ms[1]);
	maybe_u(&w, "real_ms", r->has_fork && r->has_exit, ms[2]);
	boolean(&w, "exact", r->exact);
	/* Exit to reap is only meaningful when the exit time is the exit's, not the reap's. */
	if (r->exact && r->has_exit && r->reap_ns >= r->exit_ns)
		u64(&w, "late_ms", (r->reap_ns - r->exit_ns + 500000) / 1000000);
	else
		null(&w, "late_ms");
	boolean(&w, "tracked", r->tracked);
	boolean(&w, "approx", r->approx);
	boolean(&w, "orphan", r->orphan);
	maybe(&w, "parent", r->orphan && r->parent > 0, r->parent);
	maybe_u(&w, "orphaned_ns", r->orphan && r->orphan_ns, r->orphan_ns);
	const char *why = join_opaque_name(r->opaque); /* NULL for none, or a bad value */
	str_or_null(&w, "opaque", why, why ? strlen(why) : 0);
#define X(member, ru_member) maybe(&w, #member, ru, r->member);
	JOIN_RUSAGE_FIELDS(X)
#undef X
	return end(&w);
}

size_t join_jsonl_zombie(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                         pid_t child, const char *child_comm, uint64_t age_ms)
{
	struct join_line w = {buf, cap, 0};

	begin(&w, "zombie", me, t_ns);
	pid_field(&w, "child", child, me->local_child);
	comm(&w, "child_comm", child_comm);
	u64(&w, "age_ms", age_ms);
	return end(&w);
}

/* The arguments that fit, keeping room for the line's end; 1 if some were left out. */
static int args(struct join_line *w, const char *a, size_t len)
{
	static const size_t tail = sizeof "],\"argv_truncated\":false}\n";
	join_line_str(w, "[");
	for (size_t at = 0; at < len;) {
		size_t n = strnlen(a + at, len - at);
		size_t need = join_json_escape(w->buf, 0, a + at, n) + 3;
		if (w->len + need + tail > w->cap)
			return 1;
		if (at)
			join_line_str(w, ",");
		str(w, a + at, n);
		at += n + 1;
	}
	return 0;
}

size_t join_jsonl_exec(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                       const char *a, size_t len, int truncated)
{
	struct join_line w = {buf, cap, 0};

	begin(&w, "exec", me, t_ns);
	key(&w, "argv");
	if (len == (size_t)-1)
		join_line_str(&w, "null");
	else {
		truncated |= args(&w, a, len);
		join_line_str(&w, "]");
	}
	boolean(&w, "argv_truncated", truncated);
	return end(&w);
}

/* An instant, or null when unknown (0). */
static void instant(struct join_line *w, const char *name, uint64_t t)
{
	if (t)
		u64(w, name, t);
	else
		null(w, name);
}

/* "name":[{child, child_comm, fork_ns, age_ms}, ...] of the entries whose zombie flag is
 * zombie.  A zombie's exit_ns and age_ms (since the exit) are null unless the exit is
 * known: the fork's age is no zombie's age. */
static void live_list(struct join_line *w, const char *name, const struct join_live *v, size_t n,
                      int zombie, int local)
{
	size_t i;
	int first = 1;
	char num[JOIN_NUM_MAX];

	key(w, name);
	join_line_str(w, "[");
	for (i = 0; i < n; i++) {
		if (!v[i].zombie != !zombie)
			continue;
		join_line_str(w, first ? "{" : ",{");
		first = 0;
		/* A writer whose pid is local: so are its children's. */
		join_line_str(w, local ? "\"child\":null,\"local_child\":" : "\"child\":");
		join_line_put(w, num, join_itoa(num, v[i].child));
		comm(w, "child_comm", v[i].comm);
		instant(w, "fork_ns", v[i].fork_ns);
		if (zombie)
			instant(w, "exit_ns", v[i].exit_ns);
		if (!zombie || v[i].exit_ns)
			u64(w, "age_ms", v[i].age_ms);
		else
			null(w, "age_ms");
		join_line_str(w, "}");
	}
	join_line_str(w, "]");
}

size_t join_jsonl_report(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                         const struct join_live *v, size_t n)
{
	struct join_line w = {buf, cap, 0};

	begin(&w, "report", me, t_ns);
	live_list(&w, "running", v, n, 0, me->local_pid != 0);
	live_list(&w, "zombies", v, n, 1, me->local_pid != 0);
	return end(&w);
}

size_t join_jsonl_warning(char *buf, size_t cap, const struct join_self *me, uint64_t t_ns,
                          const struct join_warning *x)
{
	struct join_line w = {buf, cap, 0};

	begin(&w, "warning", me, t_ns);
	str_or_null(&w, "text", x->text, x->ntext);
	str_or_null(&w, "variable", x->var, x->nvar);
	str_or_null(&w, "value", x->value, x->nvalue);
	if (x->lost) {
		u64(&w, "lost", x->lost);
		i64(&w, "errno", x->lost_err);
	}
	return end(&w);
}
