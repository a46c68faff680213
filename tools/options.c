/* SPDX-License-Identifier: MIT */
/*
 * options.c - joinrun's one option parser, for both forms:
 *	joinrun [OPTION...] [--] CMD [ARG...]     options stop at CMD
 *	joinrun --report A [B] [OPTION...]        options anywhere among the logs
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "tools.h"

#ifndef JOIN_VERSION
#define JOIN_VERSION "unknown"
#endif

static const char usage_text[] =
    "usage: joinrun [-o FILE|DIR] [-f await|jsonl] [--watch] [--argv] [--repeat N]\n"
    "               [--warmup N] [--prepare CMD] [--wait-all] [--summary] [--markdown]\n"
    "               [--export-json FILE] [--export-markdown FILE] [--trace FILE]\n"
    "               [--plot FILE] [--otlp[=URL]] [--otlp-file FILE] [--propagate]\n"
    "               [--] CMD [ARG...] [--vs CMD_B [ARG...]]\n"
    "       joinrun --report A [B] [--json] [--markdown] [--export-json FILE]\n"
    "               [--export-markdown FILE] [--trace FILE] [--plot FILE]\n"
    "               [--metric real|cpu|self-cpu|maxrss] [--fail-if-slower PCT]\n"
    "               [--otlp[=URL]] [--otlp-file FILE]\n"
    "       joinrun --help | --version\n";

static const char help_text[] =
    "Runs CMD with libjoin preloaded and logs every child that a process of its\n"
    "tree makes and reaps; or summarises and compares saved JSONL logs.\n"
    "See joinrun(1), libjoin(3).\n"
    "\n"
    "  -o, --output FILE  log to FILE (JOIN_LOG): made, or appended to when it holds\n"
    "                     a log of the same format (else exit 2, FILE unchanged);\n"
    "                     never through a symbolic link; or stderr, off, fd:N;\n"
    "                     %p in FILE is each writer's pid\n"
    "  -f, --format FMT   await (Plan 9 await records, the default) or jsonl (events);\n"
    "                     -o NAME.jsonl means jsonl\n"
    "      --watch        exact exit times and live zombie warnings (JOIN_WATCH=1)\n"
    "      --argv         record each process's command line after exec\n"
    "                     (JOIN_ARGV=1; implies -f jsonl)\n"
    "      --wait-all     wait for every process of the tree, not only CMD: orphans\n"
    "                     and stragglers are reaped and recorded to the end\n"
    "      --repeat N     run CMD N times, one log per run in the directory -o DIR\n"
    "                     (implies -f jsonl); progress on a terminal; a warning when\n"
    "                     run 1 made far more or fewer processes than the others\n"
    "      --vs CMD_B     after CMD: with --repeat, run CMD and CMD_B alternately,\n"
    "                     N times each, into DIR/a and DIR/b, then compare them\n"
    "      --warmup N     with --repeat, run CMD (and CMD_B) N times first, unlogged\n"
    "      --prepare CMD  run sh -c CMD before each run, without libjoin, not measured\n"
    "                     (a clean build before each build); its failure ends the runs\n"
    "      --summary      after CMD, a table per command on stderr and the tree's\n"
    "                     parallelism (implies -f jsonl)\n"
    "      --json         the --report analysis as one JSON object on stdout\n"
    "      --markdown     the --summary or --report tables as Markdown\n"
    "      --export-json FILE      the analysis of the run (of the set with --repeat,\n"
    "                     of the logs with --report) as one JSON object in FILE\n"
    "      --export-markdown FILE  the same tables as Markdown in FILE\n"
    "      --trace FILE   write the tree as Chrome trace-event JSON (implies -f jsonl)\n"
    "      --plot FILE    write an SVG timeline of the tree (implies -f jsonl)\n"
    "      --report A [B] summarise a log or a directory of logs; with B, compare:\n"
    "                     per command and for the tree the ratio B/A of medians, its\n"
    "                     95% interval, a Mann-Whitney test Holm-corrected across\n"
    "                     the rows, and a change only where that test supports it\n"
    "      --metric M     what --report A B compares: real (the default), cpu, self-cpu\n"
    "                     (own CPU time) or maxrss\n"
    "      --fail-if-slower PCT  exit 1 when a supported change is slower than\n"
    "                     1+PCT/100 times A, naming it on stderr\n"
    "      --otlp[=URL]   send the tree to OpenTelemetry, one span per process, as\n"
    "                     OTLP/HTTP to URL or as the OTEL_EXPORTER_OTLP_* variables\n"
    "                     say (implies -f jsonl); with --report, a saved log's tree\n"
    "      --otlp-file FILE  append the spans to FILE as OTLP/JSON lines\n"
    "      --propagate    each process that execs finds TRACEPARENT naming its span\n"
    "  -h, --help         this help\n"
    "      --version      joinrun's version\n"
    "\n"
    "Everything is checked before CMD runs: output paths, JOIN_* variables.\n"
    "Exit status: CMD's (128+N if killed by signal N); 2 for bad arguments or\n"
    "environment; 126/127 when CMD cannot be run or found; 125 when joinrun fails.\n";

void jr_usage(void)
{
	fputs(usage_text, stderr);
	exit(2);
}

static int count(const char *opt, const char *s, int min)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || n < min || n > 100000) {
		fprintf(stderr, "joinrun: %s %s: not a number of runs from %d to 100000\n", opt, s,
		        min);
		jr_usage();
	}
	return (int)n;
}

static int metric(const char *s)
{
	static const char *const name[] = {"real", "cpu", "self-cpu", "maxrss"};
	for (int k = 0; k < 4; k++)
		if (!strcmp(s, name[k]))
			return k;
	fprintf(stderr, "joinrun: --metric %s: the metrics are real, cpu, self-cpu and maxrss\n",
	        s);
	jr_usage();
	return 0;
}

static double percent(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= 0 && v <= 1e6)) {
		fprintf(stderr,
		        "joinrun: --fail-if-slower %s: not a percentage from 0 to 1000000\n", s);
		jr_usage();
	}
	return v;
}

static void option(struct jr_opts *o, int c)
{
	switch (c) {
	case 'o':
		o->out = optarg;
		break;
	case 'f':
		if (strcmp(optarg, "await") && strcmp(optarg, "jsonl")) {
			fprintf(stderr, "joinrun: -f %s: the formats are await and jsonl\n",
			        optarg);
			jr_usage();
		}
		o->format = optarg;
		break;
	case 'w':
		o->watch = 1;
		break;
	case 'a':
		o->argv = 1;
		break;
	case 'n':
		o->repeat = count("--repeat", optarg, 1);
		break;
	case 'W':
		o->warmup = count("--warmup", optarg, 0);
		break;
	case 'T':
		o->metric = metric(optarg);
		break;
	case 'F':
		o->fail_pct = percent(optarg);
		break;
	case 's':
		o->summary = 1;
		break;
	case 'j':
		o->json = 1;
		break;
	case 't':
		o->trace = optarg;
		break;
	case 'p':
		o->plot = optarg;
		break;
	case 'm':
		o->markdown = 1;
		break;
	case 'r':
		o->report = 1;
		break;
	case 'J':
		o->export_json = optarg;
		break;
	case 'P':
		o->prepare = optarg;
		break;
	case 'M':
		o->export_md = optarg;
		break;
	case 'A':
		o->wait_all = 1;
		break;
	case 'O':
		o->otlp = 1;
		o->otlp_url = optarg;
		break;
	case 'L':
		o->otlp_file = optarg;
		break;
	case 'G':
		o->propagate = 1;
		break;
	case 'h':
		fputs(usage_text, stdout);
		fputs("\n", stdout);
		fputs(help_text, stdout);
		exit(0);
	case 'V':
		puts("joinrun " JOIN_VERSION);
		exit(0);
	default:
		jr_usage();
	}
}

/* CMD --vs CMD_B: the first --vs after CMD's name splits the two (with --repeat only:
 * a lone run's arguments are CMD's own). */
static void split_vs(struct jr_opts *o)
{
	if (o->report || !o->repeat)
		return;
	for (int i = 1; i < o->nargs; i++)
		if (!strcmp(o->args[i], "--vs")) {
			o->args[i] = NULL;
			o->vs = &o->args[i + 1];
			o->nargs = i;
			return;
		}
}

/* What does not go together, said before anything runs. */
static void check(const struct jr_opts *o)
{
	if (o->report && (o->out || o->format || o->watch || o->summary || o->argv || o->repeat ||
	                  o->prepare || o->wait_all)) {
		fprintf(stderr, "joinrun: --report runs nothing: -o, -f, --watch, --argv, "
		                "--repeat, --prepare, --wait-all and --summary do not apply\n");
		jr_usage();
	}
	if (o->propagate && (o->report || !(o->otlp || o->otlp_file))) {
		fprintf(stderr, "joinrun: --propagate goes with --otlp or --otlp-file, when a "
		                "command runs\n");
		jr_usage();
	}
	if (o->repeat && (o->otlp || o->otlp_file)) {
		fprintf(stderr, "joinrun: --otlp and --otlp-file export one run: not with --repeat "
		                "(export its logs with --report LOG --otlp)\n");
		jr_usage();
	}
	if (o->report && (o->nargs < 1 || o->nargs > 2))
		jr_usage();
	if ((o->fail_pct >= 0 || o->metric) && !(o->report ? o->nargs == 2 : o->vs != NULL)) {
		fprintf(stderr,
		        "joinrun: --fail-if-slower and --metric need two sets: --report A B, "
		        "or --repeat N -o DIR -- A --vs B\n");
		jr_usage();
	}
	if (o->warmup && !o->repeat) {
		fprintf(stderr, "joinrun: --warmup needs --repeat\n");
		jr_usage();
	}
	if (o->vs && (!o->repeat || !o->vs[0] || o->nargs < 1)) {
		fprintf(stderr, "joinrun: --vs needs --repeat N -o DIR, a command before it and "
		                "one after it\n");
		jr_usage();
	}
	if (!o->report && o->nargs < 1) {
		fprintf(stderr, "joinrun: no command to run\n");
		jr_usage();
	}
	if (!o->report && o->json) { /* stderr is the command's too: no JSON there */
		fprintf(stderr, "joinrun: --json is for --report (on stdout); the analysis of a "
		                "run goes to a file: --export-json FILE\n");
		jr_usage();
	}
	if (!o->report && o->markdown && !o->summary) {
		fprintf(stderr, "joinrun: --markdown needs --summary or --report (a file: "
		                "--export-markdown FILE)\n");
		jr_usage();
	}
	if (o->repeat && !o->out) {
		fprintf(stderr,
		        "joinrun: --repeat needs -o DIR, the directory of the runs' logs\n");
		jr_usage();
	}
}

void jr_parse(int argc, char **argv, struct jr_opts *o)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'},
	    {"watch", no_argument, NULL, 'w'},
	    {"argv", no_argument, NULL, 'a'},
	    {"repeat", required_argument, NULL, 'n'},
	    {"summary", no_argument, NULL, 's'},
	    {"json", no_argument, NULL, 'j'},
	    {"trace", required_argument, NULL, 't'},
	    {"plot", required_argument, NULL, 'p'},
	    {"markdown", no_argument, NULL, 'm'},
	    {"report", no_argument, NULL, 'r'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {"warmup", required_argument, NULL, 'W'},
	    {"metric", required_argument, NULL, 'T'},
	    {"fail-if-slower", required_argument, NULL, 'F'},
	    {"export-json", required_argument, NULL, 'J'},
	    {"export-markdown", required_argument, NULL, 'M'},
	    {"prepare", required_argument, NULL, 'P'},
	    {"wait-all", no_argument, NULL, 'A'},
	    {"otlp", optional_argument, NULL, 'O'},
	    {"otlp-file", required_argument, NULL, 'L'},
	    {"propagate", no_argument, NULL, 'G'},
	    {0, 0, 0, 0},
	};
	memset(o, 0, sizeof *o);
	o->fail_pct = -1;
	o->args = jr_xmalloc((argc + 1) * sizeof *o->args);
	for (;;) {
		int c = getopt_long(argc, argv, "+o:f:h", longopts, NULL);
		if (c != -1) {
			option(o, c);
			continue;
		}
		/* A log of --report: take it and read on; CMD: the rest is its. */
		int dashes = optind > 1 && !strcmp(argv[optind - 1], "--");
		if (optind >= argc)
			break;
		if (!o->report || dashes) {
			while (optind < argc)
				o->args[o->nargs++] = argv[optind++];
			break;
		}
		o->args[o->nargs++] = argv[optind++];
	}
	o->args[o->nargs] = NULL;
	split_vs(o);
	check(o);
}
