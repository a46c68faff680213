/* SPDX-License-Identifier: MIT */
/*
 * columns.c - a table of strings: columns aligned for a terminal (the first
 * left, the rest right, two spaces apart) or a Markdown table.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

void jr_table_init(struct jr_table *t, int ncol)
{
	memset(t, 0, sizeof *t);
	t->ncol = ncol;
}

void jr_table_add(struct jr_table *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s;
	if (vasprintf(&s, fmt, ap) < 0) {
		fprintf(stderr, "joinrun: out of memory\n");
		exit(125);
	}
	va_end(ap);
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->cell = jr_xrealloc(t->cell, t->cap * sizeof *t->cell);
	}
	t->cell[t->n++] = s;
}

/* Columns on a terminal: UTF-8 characters, not bytes. */
static int width(const char *s)
{
	int w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xC0) != 0x80;
	return w;
}

static void pad(FILE *f, int n)
{
	while (n-- > 0)
		fputc(' ', f);
}

static void md_cell(FILE *f, const char *s)
{
	fputs(" ", f);
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '|' || *s == '\\' || *s == '`' || *s == '*' || *s == '_')
			fprintf(f, "\\%c", *s);
		else
			fputc(*s == '\n' ? ' ' : *s, f);
	}
	fputs(" |", f);
}

void jr_table_print(FILE *f, const struct jr_table *t, int markdown)
{
	int rows = t->n / t->ncol;
	if (markdown) {
		for (int r = 0; r < rows; r++) {
			fputs("|", f);
			for (int c = 0; c < t->ncol; c++)
				md_cell(f, t->cell[r * t->ncol + c]);
			fputs("\n", f);
			if (r == 0) {
				fputs("|", f);
				for (int c = 0; c < t->ncol; c++)
					fputs(c ? " ---: |" : " :--- |", f);
				fputs("\n", f);
			}
		}
		return;
	}
	int *w = jr_xmalloc(t->ncol * sizeof *w);
	for (int c = 0; c < t->ncol; c++) {
		w[c] = 0;
		for (int r = 0; r < rows; r++) {
			int x = width(t->cell[r * t->ncol + c]);
			if (x > w[c])
				w[c] = x;
		}
	}
	for (int r = 0; r < rows; r++) {
		int last = t->ncol - 1; /* no trailing blanks: the row ends at its last text */
		while (last > 0 && !*t->cell[r * t->ncol + last])
			last--;
		for (int c = 0; c <= last; c++) {
			const char *s = t->cell[r * t->ncol + c];
			if (c == 0) {
				fputs(s, f);
				if (last > 0)
					pad(f, w[c] - width(s));
			} else {
				pad(f, 2 + w[c] - width(s));
				fputs(s, f);
			}
		}
		fputc('\n', f);
	}
	free(w);
}

void jr_table_free(struct jr_table *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->cell[i]);
	free(t->cell);
	memset(t, 0, sizeof *t);
}
