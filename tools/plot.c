/* SPDX-License-Identifier: MIT */
/*
 * plot.c - the tree as a self-contained SVG timeline, in the manner of
 * systemd-analyze plot: one row per process in tree order (children under
 * their parent, indented, siblings by fork time), a bar from fork to exit
 * and a second colour from exit to reap (unreaped: zombie), a hatched bar with no
 * right edge for a zombie whose exit was not watched (unknown), the command,
 * pid and exit status as labels, a time axis with gridlines, and beneath
 * it a step chart of how many processes ran at once.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

#define TW         1000.0 /* width of the time axis */
#define TOP        78.0   /* title, legend, axis labels */
#define CHART      120.0  /* height of the step chart */
#define C_RUN      "#3b7dd8"
#define C_RUN_UB   "#9bbfee" /* running, exit time is an upper bound (the reap) */
#define C_ZOMBIE   "#e8553f"
#define C_UNKNOWN  "#b8b8b8" /* no exit recorded before the log ends */
#define C_ABNORMAL "#b00000"
#define P_OPEN     "url(#open)" /* hatched: exited at an unknown instant, never reaped */

/* Text for XML: escapes markup; a control character (not allowed in XML 1.0)
 * and U+FFFE/U+FFFF become '?'.  Input is UTF-8 (jansson checked it). */
static void esc(FILE *f, const char *s)
{
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		switch (*u) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&apos;", f);
			break;
		default:
			if (*u < 0x20 || *u == 0x7f)
				fputc('?', f);
			else if (u[0] == 0xEF && u[1] == 0xBF && (u[2] == 0xBE || u[2] == 0xBF)) {
				fputc('?', f);
				u += 2;
			} else
				fputc(*u, f);
		}
	}
}

struct geo {
	int64_t t0, t1;
	double lw, rh, fs; /* label column width, row height, font size */
};

static double X(const struct geo *g, int64_t t)
{
	return g->lw + (double)(t - g->t0) / (double)(g->t1 - g->t0) * TW;
}

/* A tick label for t ns after the start, in the unit of the step. */
static void tick_label(char *b, size_t n, double ns, double step)
{
	if (step >= 1e9)
		snprintf(b, n, "%g s", ns / 1e9);
	else if (step >= 1e6)
		snprintf(b, n, "%g ms", ns / 1e6);
	else
		snprintf(b, n, "%g µs", ns / 1e3);
}

static double nice_step(double span, int ticks)
{
	double raw = span / ticks, p = pow(10, floor(log10(raw)));
	double m = raw / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

static void axis(FILE *f, const struct geo *g, double y0, double y1)
{
	double span = (double)(g->t1 - g->t0), step = nice_step(span, 10);
	char b[32];
	fprintf(f, "<g class=\"axis\">\n");
	for (double t = 0; t <= span * 1.0000001; t += step) {
		double x = X(g, g->t0 + (int64_t)t);
		tick_label(b, sizeof b, t, step);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, y0 - 4, x,
		        y1);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x,
		        y0 - 8, b);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x,
		        y1 + 14, b);
	}
	fprintf(f, "</g>\n");
}

static void legend(FILE *f, double x, double y)
{
	static const char *const what[][2] = {
	    {C_RUN, "running (fork to exit)"},
	    {C_RUN_UB, "running, exit time an upper bound (the reap)"},
	    {C_ZOMBIE, "exited, not yet reaped (zombie)"},
	    {C_UNKNOWN, "no exit recorded"},
	    {P_OPEN, "exited at an unknown time, never reaped (not watched)"},
	};
	for (int i = 0; i < 5; i++) {
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"10\" fill=\"%s\"/>",
		        x, y - 9, what[i][0]);
		fprintf(f, "<text class=\"legend\" x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 16, y,
		        what[i][1]);
		x += 40 + 6.2 * strlen(what[i][1]);
	}
}

/* A real time with the precision it has: three significant digits of the log's ns,
 * whole ms of a figure rounded to the ms; "≤" when the exit is the reap (an upper
 * bound).  Empty when unknown. */
static const char *real_label(char b[48], const struct jr_proc *p)
{
	double v = jr_real(p);
	const char *le = p->has_exit && !p->exit_exact ? "≤" : "";
	int prec = !jr_real_ns(p) ? 0 : v >= 100 ? 0 : v >= 10 ? 1 : v >= 1 ? 2 : 3;
	if (v < 0)
		b[0] = 0;
	else
		snprintf(b, 48, "%s%.*f ms", le, prec, v);
	return b;
}

static void row(FILE *f, const struct jr_model *m, const struct geo *g, int k, int i)
{
	const struct jr_proc *p = &m->p[i];
	double y = TOP + k * g->rh, bh = g->rh * 0.7, by = y + (g->rh - bh) / 2;
	char st[48];
	int depth = p->depth > 30 ? 30 : p->depth;
	fprintf(f, "<g><title>");
	esc(f, p->comm[0] ? p->comm : "?");
	fprintf(f, " %d (parent %d): %s", p->pid, p->ppid, jr_status(p, st));
	char rl[48];
	if (jr_real(p) >= 0)
		fprintf(f, ", real %s", real_label(rl, p));
	if (p->self_user_ms >= 0)
		fprintf(f, ", own user %.1f ms, own sys %.1f ms", p->self_user_ms, p->self_sys_ms);
	if (p->user_ms >= 0)
		fprintf(f, ", inclusive user %.1f ms, sys %.1f ms", p->user_ms, p->sys_ms);
	if (p->orphan)
		fprintf(f, "; orphan, reaped by joinrun");
	if (p->opaque > 0 && p->opaque < 4)
		fprintf(f, "; libjoin could not follow into it (%s)", jr_opaque_name(p->opaque));
	if (p->has_exit && !p->exit_exact)
		fprintf(f, "; exit time is the reap (an upper bound)");
	if (jr_exit_unknown(p))
		fprintf(f, "; exited at an unknown time before its parent's exit, never reaped "
		           "(exit times are known under --watch)");
	if (p->late_ms >= 0)
		fprintf(f, "; reaped %.1f ms after exit", p->late_ms);
	if (p->writer)
		fprintf(f, "; known only from its own log lines");
	fprintf(f, "</title>\n<text x=\"%.1f\" y=\"%.1f\">", 4.0 + depth * 10, y + g->rh * 0.78);
	esc(f, p->comm[0] ? p->comm : "?");
	fprintf(f, " <tspan class=\"pid\">%d</tspan></text>\n", p->pid);
	int64_t s, e, z;
	double right = -1;
	if (jr_span(m, p, &s, &e)) {
		const char *c = !p->has_exit && !p->running_end ? C_UNKNOWN
		                : p->has_exit && !p->exit_exact ? C_RUN_UB
		                                                : C_RUN;
		double x0 = X(g, s), x1 = X(g, e);
		fprintf(f,
		        "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"/>",
		        x0, by, x1 - x0 < 1 ? 1 : x1 - x0, bh, c);
		right = x1 - x0 < 1 ? x0 + 1 : x1;
	} else if (jr_span_open(p, &s, &e)) { /* no end drawn: no right edge, a hatch */
		double x0 = X(g, s), x1 = X(g, e);
		fprintf(f,
		        "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\" "
		        "stroke=\"" C_ZOMBIE
		        "\" stroke-width=\"0.5\" stroke-dasharray=\"0 %.2f %.1f "
		        "%.2f\"/>",
		        x0, by, x1 - x0 < 1 ? 1 : x1 - x0, bh, P_OPEN, x1 - x0 < 1 ? 1 : x1 - x0,
		        bh, x1 - x0 < 1 ? 1 : x1 - x0);
		right = x1 - x0 < 1 ? x0 + 1 : x1;
	}
	if (jr_zombie_end(m, p, &z)) {
		double x0 = X(g, p->exit_ns), x1 = X(g, z);
		fprintf(f,
		        "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" height=\"%.1f\" fill=\"%s\"/>",
		        x0, by, x1 - x0 < 1 ? 1 : x1 - x0, bh, C_ZOMBIE);
		right = x1 - x0 < 1 ? x0 + 1 : x1;
	}
	if (right >= 0) {
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s>", right + 4, y + g->rh * 0.78,
		        jr_abnormal(p) ? " class=\"bad\"" : "");
		esc(f, jr_status(p, st));
		if (jr_real(p) >= 0)
			fprintf(f, " %s", real_label(rl, p));
		if (jr_exit_unknown(p))
			fprintf(f, ", exit time unknown");
		else if (p->zombies || p->zombie_end)
			fprintf(f, ", zombie");
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</g>\n");
}

static void chart(FILE *f, const struct geo *g, const struct jr_par *r, double y0)
{
	int peak = r->peak < 1 ? 1 : r->peak;
	double base = y0 + CHART;
	int every = peak <= 6 ? 1 : (int)ceil(peak / 5.0);
	fprintf(f, "<text x=\"4\" y=\"%.1f\">running at once</text>\n", y0 + CHART / 2);
	fprintf(f, "<g class=\"axis\">\n");
	for (int v = 0; v <= peak; v += every) {
		double y = base - CHART * v / peak;
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", g->lw - 4, y,
		        g->lw + TW, y);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%d</text>\n", g->lw - 6,
		        y + 4, v);
	}
	fprintf(f, "</g>\n<path class=\"steps\" d=\"M%.2f %.2f", X(g, g->t0), base);
	int n = 0;
	for (int k = 0; k < r->nstep; k++) {
		fprintf(f, " H%.2f V%.2f", X(g, r->step[k].t), base - CHART * r->step[k].n / peak);
		n = r->step[k].n;
	}
	fprintf(f, " H%.2f V%.2f Z\"/>\n", X(g, g->t1), base);
	(void)n;
}

int jr_plot(const struct jr_model *m, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "joinrun: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int n;
	int *order = jr_tree_order(m, &n);
	struct jr_par r;
	jr_parallel(m, &r);
	struct geo g = {.t0 = m->t0, .t1 = m->t1};
	if (r.nstep && r.s < g.t0)
		g.t0 = r.s;
	if (r.e > g.t1)
		g.t1 = r.e;
	if (g.t1 <= g.t0)
		g.t1 = g.t0 + 1000000;
	g.rh = n <= 100 ? 18 : n <= 400 ? 12 : 9;
	g.fs = n <= 100 ? 12 : n <= 400 ? 10 : 8;
	size_t widest = 8;
	int deep = 0, procs = 0;
	for (int k = 0; k < n; k++) {
		const struct jr_proc *p = &m->p[order[k]];
		size_t w = strlen(p->comm) + 8;
		if (w > widest)
			widest = w;
		if (p->depth > deep)
			deep = p->depth;
		procs += !p->writer;
	}
	g.lw = 16 + (deep > 30 ? 30 : deep) * 10 + widest * g.fs * 0.62;
	if (g.lw < 140)
		g.lw = 140;
	double rows_end = TOP + n * g.rh, chart_top = rows_end + 40;
	double width = g.lw + TW + 200, height = chart_top + CHART + 40;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f,
	        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
	        "viewBox=\"0 0 %.0f %.0f\">\n",
	        width, height, width, height);
	fprintf(f, "<title>joinrun: ");
	esc(f, m->name);
	fprintf(f,
	        "</title>\n<style>\n"
	        "text { font-family: DejaVu Sans, Verdana, sans-serif; font-size: %.0fpx; "
	        "fill: #222; }\n"
	        ".pid { fill: #888; }\n.bad { fill: " C_ABNORMAL "; font-weight: bold; }\n"
	        ".band { fill: #f3f3f3; }\n"
	        ".axis line { stroke: #ccc; stroke-width: 0.5; }\n"
	        ".axis text { fill: #666; font-size: 10px; }\n"
	        ".steps { fill: #bcd3f2; stroke: " C_RUN "; stroke-width: 1; }\n"
	        ".head { font-size: 14px; font-weight: bold; }\n"
	        ".legend { font-size: 11px; }\n"
	        "</style>\n"
	        "<defs><pattern id=\"open\" width=\"6\" height=\"6\" "
	        "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
	        "<rect width=\"6\" height=\"6\" fill=\"white\"/>"
	        "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"" C_ZOMBIE "\" "
	        "stroke-width=\"2.5\"/></pattern></defs>\n",
	        g.fs);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", width,
	        height);
	fprintf(f, "<text class=\"head\" x=\"4\" y=\"18\">");
	esc(f, m->name);
	fprintf(f, ": %d processes, wall %.3f s, %.2f running on average, %d at the peak</text>\n",
	        procs, r.wall_ms / 1e3, r.avg, r.peak);
	legend(f, 4, 40);
	for (int k = 1; k < n; k += 2)
		fprintf(
		    f, "<rect class=\"band\" x=\"0\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>\n",
		    TOP + k * g.rh, width, g.rh);
	axis(f, &g, TOP, chart_top + CHART);
	for (int k = 0; k < n; k++)
		row(f, m, &g, k, order[k]);
	chart(f, &g, &r, chart_top);
	fprintf(f, "</svg>\n");
	jr_parallel_free(&r);
	free(order);
	if (ferror(f) | (fclose(f) != 0)) {
		fprintf(stderr, "joinrun: %s: %s\n", path, strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
}
