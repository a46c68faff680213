/* SPDX-License-Identifier: MIT */
/*
 * events.c - the life of a model of events.h: made empty, freed with what it
 * holds, and the memory and name helpers its files share.  The work is
 * elsewhere: logread.c reads a log's JSON lines into pending events, model.c
 * applies them in time order, tree.c links the tree, query.c answers about a
 * process.
 */
#include <stdlib.h>
#include <string.h>

#include "ev.h"

void *jr_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "joinrun: out of memory\n");
		exit(125);
	}
	return p;
}

void *jr_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "joinrun: out of memory\n");
		exit(125);
	}
	return p;
}

void jr_model_init(struct jr_model *m, const char *name)
{
	memset(m, 0, sizeof *m);
	m->name = jr_xmalloc(strlen(name) + 1);
	strcpy(m->name, name);
	jr_sanitise(m->name); /* a command's path, printed as the table's title */
	m->roots = -1;
	m->joinrun_pid = -1;
}

void jr_model_free(struct jr_model *m)
{
	for (int i = 0; i < m->n; i++)
		free(m->p[i].argv);
	for (long i = 0; i < m->nev; i++)
		free(m->ev[i].argv);
	free(m->p);
	free(m->ev);
	free(m->hash);
	free(m->name);
	memset(m, 0, sizeof *m);
}

/* Control characters become '?', as the await record shows a name (and ps(1)):
 * C0 and DEL, and the C1 controls U+0080..U+009F (0xC2 0x80..0x9F in UTF-8),
 * which a terminal may take as an escape.  A name never starts an escape
 * sequence on the terminal nor splits a row of a table. */
void jr_sanitise(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;
	for (; *r; r++) {
		if (r[0] == 0xC2 && r[1] >= 0x80 && r[1] <= 0x9F) {
			*w++ = '?';
			r++;
		} else
			*w++ = *r < 0x20 || *r == 0x7f ? '?' : *r;
	}
	*w = 0;
}

/* A cut never splits a UTF-8 sequence, so a short name still prints whole characters. */
void jr_copy_str(char *dst, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = 0;
	jr_sanitise(dst);
}
