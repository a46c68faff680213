/* SPDX-License-Identifier: MIT */
/* model.h - the launcher's unit tests build models from JSON lines written here. */
#ifndef JR_TEST_MODEL_H
#define JR_TEST_MODEL_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools.h"

/* A model of the lines in text (one JSON object a line), read from a scratch file. */
static inline void model_of(struct jr_model *m, const char *text)
{
	char path[] = "/tmp/jr_unit.XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		abort();
	close(fd);
	jr_model_init(m, "unit");
	if (jr_model_read(m, path) < 0)
		abort();
	unlink(path);
	jr_model_build(m);
}

/* The index of the process with pid, -1 if none. */
static inline int proc_of(const struct jr_model *m, int pid)
{
	for (int i = m->n - 1; i >= 0; i--)
		if (m->p[i].pid == pid)
			return i;
	return -1;
}

/* Instants in ms from an origin, as t_ns. */
#define MS(x) (1000000000000LL + (long long)(x)*1000000LL)
#endif
