/* SPDX-License-Identifier: MIT */
/*
 * set.c - a set of runs: one JSONL log (each run that joinrun -o appended to it a
 * run of its own), or a directory of them (joinrun --repeat N -o DIR keeps one log per
 * run there).  Each run is a model of
 * its own: pids and instants of two runs never mix.
 */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tools.h"

/* A log with no event about a child is no log of libjoin's (or an empty one): an
 * empty table would pass for a tree that did nothing. */
static int no_events(const struct jr_model *m, const char *path)
{
	if (m->events)
		return 0;
	if (!m->lines)
		fprintf(stderr, "joinrun: %s: empty: no events to report\n", path);
	else
		fprintf(stderr, "joinrun: %s: no libjoin events in %ld lines: not a JSONL log\n",
		        path, m->lines);
	return 1;
}

static void add_model(struct jr_set *s, struct jr_model *m)
{
	jr_model_build(m);
	if (jr_model_cut(m)) {
		s->cut++;
		fprintf(stderr,
		        "joinrun: %s: warning: the log ends before joinrun's reap of its command: "
		        "cut short (or joinrun was killed); only what it holds is summarised\n",
		        m->name);
	}
	s->run = jr_xrealloc(s->run, (s->n + 1) * sizeof *s->run);
	s->run[s->n++] = m;
}

/* A log's runs: one, or each that joinrun appended to it. */
static int add_run(struct jr_set *s, const char *path)
{
	struct jr_model *m = jr_xmalloc(sizeof *m), **runs;
	jr_model_init(m, path);
	int bad = jr_model_read(m, path) < 0 || no_events(m, path);
	int n = jr_model_split(m, &runs);
	if (!runs) {
		add_model(s, m);
		return bad ? -1 : 0;
	}
	for (int k = 0; k < n; k++)
		add_model(s, runs[k]);
	free(runs);
	jr_model_free(m);
	free(m);
	return bad ? -1 : 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, by name (run-1, run-2, ... as --repeat names them). */
static int add_dir(struct jr_set *s, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d) {
		perror(dir);
		return -1;
	}
	char **names = NULL;
	int n = 0, rc = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		char *p;
		struct stat st;
		if (e->d_name[0] == '.' || asprintf(&p, "%s/%s", dir, e->d_name) < 0)
			continue;
		if (stat(p, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(p);
			continue;
		}
		names = jr_xrealloc(names, (n + 1) * sizeof *names);
		names[n++] = p;
	}
	closedir(d);
	qsort(names, n, sizeof *names, by_name);
	for (int i = 0; i < n; i++) {
		rc |= add_run(s, names[i]);
		free(names[i]);
	}
	free(names);
	if (!n) {
		fprintf(stderr, "joinrun: %s: no logs in the directory\n", dir);
		rc = -1;
	}
	return rc;
}

int jr_set_load(struct jr_set *s, const char *path)
{
	struct stat st;
	memset(s, 0, sizeof *s);
	s->name = jr_xmalloc(strlen(path) + 1);
	strcpy(s->name, path);
	jr_sanitise(s->name);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return add_dir(s, path);
	return add_run(s, path);
}

void jr_set_free(struct jr_set *s)
{
	for (int i = 0; i < s->n; i++) {
		jr_model_free(s->run[i]);
		free(s->run[i]);
	}
	free(s->run);
	free(s->name);
	memset(s, 0, sizeof *s);
}

int *jr_set_counts(const struct jr_set *s)
{
	int *c = jr_xmalloc((s->n + 1) * sizeof *c);
	for (int i = 0; i < s->n; i++) {
		c[i] = 0;
		for (int k = 0; k < s->run[i]->n; k++)
			c[i] += !s->run[i]->p[k].writer;
	}
	return c;
}

double *jr_set_walls(const struct jr_set *s)
{
	double *w = jr_xmalloc((s->n + 1) * sizeof *w);
	for (int i = 0; i < s->n; i++) {
		struct jr_par r;
		jr_parallel(s->run[i], &r);
		w[i] = r.wall_ms;
		jr_parallel_free(&r);
	}
	return w;
}

int jr_set_typical(const struct jr_set *s)
{
	double *w = jr_set_walls(s), *c = jr_xmalloc((s->n + 1) * sizeof *c);
	memcpy(c, w, s->n * sizeof *c);
	double med = jr_median(c, s->n);
	int best = 0;
	for (int i = 1; i < s->n; i++)
		if (fabs(w[i] - med) < fabs(w[best] - med))
			best = i;
	free(c);
	free(w);
	return best;
}
