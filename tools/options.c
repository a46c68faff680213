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
    "               [--summary] [--json] [--markdown] [--trace FILE] [--plot FILE]\n"
    "               [--otlp[=URL]] [--otlp-file FILE] [--propagate] [--] CMD [ARG...]\n"
    "       joinrun --report A [B] [--json] [--markdown] [--trace FILE] [--plot FILE]\n"
    "               [--otlp[=URL]] [--otlp-file FILE]\n"
    "       joinrun --help | --version\n";

static const char help_text[] =
    "Runs CMD with libjoin preloaded and logs every child that a process of its\n"
    "tree makes and reaps; or summarises and compares saved JSONL logs.\n"
    "See joinrun(1), libjoin(3).\n"
    "\n"
    "  -o, --output FILE  log to FILE (JOIN_LOG): a new or empty file, never a\n"
    "                     symbolic link, never one that holds records; or stderr,\n"
    "                     off, fd:N; %p in FILE is each writer's pid\n"
    "  -f, --format FMT   await (Plan 9 await records, the default) or jsonl (events)\n"
    "      --watch        exact exit times and live zombie warnings (JOIN_WATCH=1)\n"
    "      --argv         record each process's command line after exec\n"
    "                     (JOIN_ARGV=1; implies -f jsonl)\n"
    "      --repeat N     run CMD N times, one log per run in the directory -o DIR\n"
    "                     (implies -f jsonl); progress on a terminal\n"
    "      --summary      after CMD, a table per command on stderr and the tree's\n"
    "                     parallelism (implies -f jsonl)\n"
    "      --json         the --summary or --report analysis as one JSON object\n"
    "      --markdown     the --summary or --report tables as Markdown\n"
    "      --trace FILE   write the tree as Chrome trace-event JSON (implies -f jsonl)\n"
    "      --plot FILE    write an SVG timeline of the tree (implies -f jsonl)\n"
    "      --report A [B] summarise a log or a directory of logs; with B, compare:\n"
    "                     per command the ratio B/A of medians, its 95% confidence\n"
    "                     interval, and a mark where the interval excludes 1\n"
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

static int count(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || n < 1 || n > 100000) {
		fprintf(stderr, "joinrun: --repeat %s: not a number of runs from 1 to 100000\n", s);
		jr_usage();
	}
	return (int)n;
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
		o->repeat = count(optarg);
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
	case 'O':
		o->otlp = 1;
		o->otlp_url = optarg;
		break;
	case 'F':
		o->otlp_file = optarg;
		break;
	case 'P':
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

/* What does not go together, said before anything runs. */
static void check(const struct jr_opts *o)
{
	if (o->report && (o->out || o->format || o->watch || o->summary || o->argv || o->repeat)) {
		fprintf(stderr, "joinrun: --report runs nothing: -o, -f, --watch, --argv, "
		                "--repeat and --summary do not apply\n");
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
	if (!o->report && o->nargs < 1) {
		fprintf(stderr, "joinrun: no command to run\n");
		jr_usage();
	}
	if (!o->report && (o->markdown || o->json) && !o->summary) {
		fprintf(stderr, "joinrun: %s needs --summary or --report\n",
		        o->json ? "--json" : "--markdown");
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
	    {"otlp", optional_argument, NULL, 'O'},
	    {"otlp-file", required_argument, NULL, 'F'},
	    {"propagate", no_argument, NULL, 'P'},
	    {0, 0, 0, 0},
	};
	memset(o, 0, sizeof *o);
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
	check(o);
}
