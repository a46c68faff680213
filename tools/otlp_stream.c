/* SPDX-License-Identifier: MIT */
/*
 * otlp_stream.c - spans sent while the tree runs: a thread of joinrun (never of
 * the programs) reads the complete lines of the log every few seconds, builds the
 * model and sends, in batches of at most 512, the spans of processes that have been
 * reaped and whose whole line of forks is in the log (so that their ids are those
 * of the final model).  At the end the rest goes with jr_otlp_export, which skips
 * what was delivered.  A round costs a pass over the log: rounds are spaced at
 * least 5 s and 50 times the CPU time of the last one, so the export stays under
 * 2% of one CPU however long the build.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "otlp.h"
#include "tools.h"

#define ROUND_S 5

struct jr_otlp_stream {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	const struct jr_otlp_cfg *c;
	struct jr_otlp_run r;
	char *log;
	long at; /* where this run's lines begin in the log */
	struct jr_otlp_sent sent;
};

/* --- the set of delivered span ids (open addressing; 0 is no id) ---------- */

int jr_otlp_sent_has(const struct jr_otlp_sent *s, uint64_t id)
{
	if (!s || !s->cap)
		return 0;
	for (size_t i = id & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		if (s->id[i] == id)
			return 1;
		if (!s->id[i])
			return 0;
	}
}

void jr_otlp_sent_add(struct jr_otlp_sent *s, uint64_t id)
{
	if (2 * (s->n + 1) > s->cap) {
		struct jr_otlp_sent g = {.cap = s->cap ? 2 * s->cap : 1024};
		g.id = jr_xmalloc(g.cap * sizeof *g.id);
		memset(g.id, 0, g.cap * sizeof *g.id);
		for (size_t i = 0; i < s->cap; i++)
			if (s->id[i])
				jr_otlp_sent_add(&g, s->id[i]);
		free(s->id);
		*s = g;
	}
	size_t i = id & (s->cap - 1);
	while (s->id[i] && s->id[i] != id)
		i = (i + 1) & (s->cap - 1);
	s->n += !s->id[i];
	s->id[i] = id;
}

void jr_otlp_sent_free(struct jr_otlp_sent *s)
{
	free(s->id);
	memset(s, 0, sizeof *s);
}

/* --- a round ------------------------------------------------------------- */

/* The log's complete lines from at on in a memory file, named /proc/self/fd/N in
 * *path; -1. */
static int complete_lines(const char *log, long at, char path[64])
{
	FILE *f = fopen(log, "r");
	if (!f)
		return -1;
	if (at > 0 && fseek(f, at, SEEK_SET) < 0) {
		fclose(f);
		return -1;
	}
	int fd = memfd_create("joinrun-otlp", MFD_CLOEXEC);
	char buf[65536], *nl;
	size_t n, kept = 0, total = 0;
	while (fd >= 0 && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			fd = -1;
			break;
		}
		total += n;
		if ((nl = memrchr(buf, '\n', n)))
			kept = total - n + (size_t)(nl - buf) + 1;
	}
	fclose(f);
	if (fd < 0 || ftruncate(fd, (off_t)kept) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

/* Reaped, and every process above it up to the root seen forked: its id is final. */
static int final(const struct jr_model *m, int i)
{
	if (!m->p[i].has_reap)
		return 0;
	for (; i >= 0; i = m->p[i].parent)
		if (!m->p[i].has_fork || (m->p[i].parent < 0 && !m->p[i].root))
			return 0;
	return 1;
}

static void round_once(struct jr_otlp_stream *s)
{
	char path[64];
	int fd = complete_lines(s->log, s->at, path);
	if (fd < 0)
		return;
	struct jr_model m;
	jr_model_init(&m, s->log);
	int rc = jr_model_read(&m, path);
	close(fd);
	if (rc == 0) {
		jr_model_build(&m);
		int *pick = jr_xmalloc((m.n + 1) * sizeof *pick), n = 0;
		uint64_t *ids = jr_otlp_ids(&m, &s->r);
		for (int i = 0; i < m.n; i++)
			if (ids[i] && !jr_otlp_sent_has(&s->sent, ids[i]) && final(&m, i))
				pick[n++] = i;
		free(ids);
		if (n) /* what fails here goes again at the end */
			jr_otlp_send_some(s->c, &m, &s->r, pick, n, &s->sent);
		free(pick);
	}
	jr_model_free(&m);
}

static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *run(void *arg)
{
	struct jr_otlp_stream *s = arg;
	sigset_t all;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL); /* joinrun's signals are the main thread's */
	double wait = ROUND_S;
	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		struct timespec at;
		clock_gettime(CLOCK_REALTIME, &at);
		at.tv_sec += (time_t)wait;
		at.tv_nsec += (long)((wait - (time_t)wait) * 1e9);
		if (at.tv_nsec >= 1000000000) {
			at.tv_sec++;
			at.tv_nsec -= 1000000000;
		}
		if (pthread_cond_timedwait(&s->cv, &s->mu, &at) != ETIMEDOUT || s->stop)
			continue;
		pthread_mutex_unlock(&s->mu);
		double t = cpu_s();
		round_once(s);
		t = cpu_s() - t;
		wait = 50 * t > ROUND_S ? 50 * t : ROUND_S;
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

struct jr_otlp_stream *jr_otlp_stream_start(const struct jr_otlp_cfg *c,
                                            const struct jr_otlp_run *r, const char *log, long at)
{
	if (!c->send || !log || strstr(log, "%p"))
		return NULL; /* one file to follow, and somewhere to send */
	struct jr_otlp_stream *s = jr_xmalloc(sizeof *s);
	memset(s, 0, sizeof *s);
	s->c = c;
	s->r = *r;
	s->log = strdup(log);
	s->at = at;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (!s->log || pthread_create(&s->th, NULL, run, s) != 0) {
		free(s->log);
		free(s);
		return NULL; /* then everything goes at the end */
	}
	return s;
}

struct jr_otlp_sent jr_otlp_stream_stop(struct jr_otlp_stream *s)
{
	struct jr_otlp_sent none = {0};
	if (!s)
		return none;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->th, NULL);
	struct jr_otlp_sent sent = s->sent;
	free(s->log);
	free(s);
	return sent;
}
