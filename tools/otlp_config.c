/* SPDX-License-Identifier: MIT */
/*
 * otlp_config.c - the exporter's settings, read as the OpenTelemetry
 * specification defines its variables (OTEL_EXPORTER_OTLP_[TRACES_]*, the
 * signal's own variable before the general one), checked before anything runs.
 * A header's value may be a token: no message ever shows one.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <unistd.h>

#include "otlp.h"
#include "tools.h"

/* The variable of the traces signal, else the general one; *name says which. */
static const char *otel(const char *suffix, const char **name)
{
	static char a[96], b[96];
	snprintf(a, sizeof a, "OTEL_EXPORTER_OTLP_TRACES_%s", suffix);
	snprintf(b, sizeof b, "OTEL_EXPORTER_OTLP_%s", suffix);
	const char *v = getenv(a);
	*name = a;
	if (!v || !*v) {
		v = getenv(b);
		*name = b;
	}
	return v && *v ? v : NULL;
}

static int fail(const char *name, const char *value, const char *why)
{
	char *v = value ? strdup(value) : NULL;
	if (v)
		jr_sanitise(v);
	fprintf(stderr, "joinrun: %s%s%s: %s\n", name, v ? "=" : "", v ? v : "", why);
	free(v);
	return -1;
}

/* "%41" and the like decoded in place (W3C baggage, as the specification says);
 * -1 on a bad escape. */
static int percent_decode(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r != '%') {
			*w++ = *r;
			continue;
		}
		if (!isxdigit((unsigned char)r[1]) || !isxdigit((unsigned char)r[2]))
			return -1;
		char hex[3] = {r[1], r[2], 0};
		*w++ = (char)strtol(hex, NULL, 16);
		r += 2;
	}
	*w = 0;
	return 0;
}

/* Valid UTF-8 (OTLP's strings must be): no stray, overlong or surrogate sequence. */
static int utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80         ? 0
		        : (*p >> 5) == 6  ? 1
		        : (*p >> 4) == 14 ? 2
		        : (*p >> 3) == 30 ? 3
		                          : -1;
		if (n < 0 || (n == 1 && *p < 0xc2))
			return 0;
		unsigned cp = n ? *p & (0x3f >> n) : *p;
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xd800 && cp < 0xe000))) ||
		    (n == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return 0;
		p += n + 1;
	}
	return 1;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = 0;
	return s;
}

/* "k=v,k=v" into pairs (keys and decoded values, malloc'd); -1 after a message
 * that names the entry by its number and key, never by its value. */
static int pairs(const char *name, const char *value, char ***out, int *n, int header)
{
	char *copy = jr_xmalloc(strlen(value) + 1), *save = NULL, why[160];
	strcpy(copy, value);
	int k = 0, rc = 0;
	for (char *e = strtok_r(copy, ",", &save); e && !rc; e = strtok_r(NULL, ",", &save)) {
		k++;
		char *eq = strchr(e, '=');
		if (!*trim(e))
			continue;
		if (!eq) {
			snprintf(why, sizeof why, "entry %d has no '=': the form is key=value,...",
			         k);
			rc = -1;
			break;
		}
		*eq = 0;
		char *key = trim(e), *val = trim(eq + 1);
		int bad_key = !*key || percent_decode(key) < 0;
		for (char *c = key; header && !bad_key && *c; c++)
			bad_key = !isalnum((unsigned char)*c) && !strchr("!#$%&'*+-.^_`|~", *c);
		if (bad_key) {
			snprintf(why, sizeof why, "entry %d: not a valid key", k);
			rc = -1;
		} else if (percent_decode(val) < 0 || strpbrk(val, "\r\n") ||
		           (!header && !utf8(val))) {
			snprintf(why, sizeof why,
			         "entry %d (%.40s): the value is not percent-encoded%s", k, key,
			         header ? "" : " UTF-8");
			rc = -1;
		} else {
			*out = jr_xrealloc(*out, (*n + 2) * sizeof **out);
			(*out)[(*n)++] = strdup(key);
			(*out)[(*n)++] = strdup(val);
		}
	}
	free(copy);
	if (rc < 0)
		fail(name, NULL, why); /* the value may hold a token: not shown */
	return rc;
}

/* http:// or https:// and a host: the URL, malloc'd, with /v1/traces appended as
 * base says (0 never, 1 always, 2 when it has no path); *shown: the same without
 * user:password@, for messages. */
static char *endpoint(const char *name, const char *url, int base, char **shown)
{
	const char *rest = !strncasecmp(url, "http://", 7)    ? url + 7
	                   : !strncasecmp(url, "https://", 8) ? url + 8
	                                                      : NULL;
	if (!rest || !*rest || *rest == '/' || strpbrk(url, " \t\r\n")) {
		fail(name, NULL, "not an http:// or https:// URL with a host");
		return NULL;
	}
	const char *path = strchr(rest, '/');
	size_t host = path ? (size_t)(path - rest) : strlen(rest);
	if (rest[host - 1] == ':' || rest[host - 1] == '@') {
		fail(name, NULL, "not an http:// or https:// URL with a host");
		return NULL;
	}
	if (base == 2)
		base = !path || !path[1];
	size_t n = strlen(url);
	if (base && url[n - 1] == '/')
		n--;
	char *u;
	if (asprintf(&u, "%.*s%s", (int)n, url, base ? "/v1/traces" : "") < 0)
		return NULL;
	const char *at = strchr(rest, '@');
	if (at && (!path || at < path)) {
		if (asprintf(shown, "%.*s%s", (int)(rest - url), u, u + (at + 1 - url)) < 0)
			*shown = NULL;
	} else {
		*shown = strdup(u);
	}
	char *query = *shown ? strpbrk(*shown, "?#") : NULL, *cut;
	if (query && asprintf(&cut, "%.*s?...", (int)(query - *shown), *shown) >= 0) {
		free(*shown); /* a query may carry a key: not shown either */
		*shown = cut;
	}
	return u;
}

static int where(struct jr_otlp_cfg *c, const char *url_opt)
{
	const char *name, *v;
	if (url_opt)
		c->url = endpoint("--otlp", url_opt, 2, &c->shown);
	else if ((v = getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")) && *v)
		c->url = endpoint("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", v, 0, &c->shown);
	else if ((v = otel("ENDPOINT", &name)))
		c->url = endpoint(name, v, 1, &c->shown);
	else
		c->url = endpoint("default", "http://localhost:4318", 1, &c->shown);
	return c->url && c->shown ? 0 : -1;
}

static int how(struct jr_otlp_cfg *c)
{
	const char *name, *v;
	if ((v = otel("PROTOCOL", &name))) {
		if (!strcmp(v, "http/json"))
			c->json = 1;
		else if (strcmp(v, "http/protobuf"))
			return fail(name, v,
			            !strcmp(v, "grpc")
			                ? "grpc is not supported: use http/protobuf "
			                  "(the default) or http/json"
			                : "the protocols are http/protobuf and http/json");
	}
	if ((v = otel("COMPRESSION", &name))) {
		if (!strcmp(v, "gzip"))
			c->gzip = 1;
		else if (strcmp(v, "none"))
			return fail(name, v, "the compressions are gzip and none");
	}
	c->timeout_ms = 10000;
	if ((v = otel("TIMEOUT", &name))) {
		char *end;
		long ms = strtol(v, &end, 10);
		if (*v < '0' || *v > '9' || *end || ms < 1 || ms > 3600000)
			return fail(name, v, "not a number of milliseconds from 1 to 3600000");
		c->timeout_ms = ms;
	}
	if ((v = otel("HEADERS", &name))) {
		char **kv = NULL;
		int n = 0;
		if (pairs(name, v, &kv, &n, 1) < 0)
			return -1;
		c->headers = jr_xmalloc((n / 2 + 1) * sizeof *c->headers);
		for (int i = 0; i < n; i += 2) {
			if (asprintf(&c->headers[c->nheaders++], "%s: %s", kv[i], kv[i + 1]) < 0)
				return -1;
			free(kv[i]);
			free(kv[i + 1]);
		}
		free(kv);
	}
	return 0;
}

/* OTEL_SDK_DISABLED: true (any case) turns the export off; false or empty do not; the
 * specification asks for a warning on anything else, which is then false. */
static int disabled(void)
{
	const char *v = getenv("OTEL_SDK_DISABLED");
	if (!v || !*v || !strcasecmp(v, "false"))
		return 0;
	if (!strcasecmp(v, "true"))
		return 1;
	fail("OTEL_SDK_DISABLED", v, "neither true nor false: taken as false");
	return 0;
}

static int resource(struct jr_otlp_cfg *c)
{
	const char *v = getenv("OTEL_RESOURCE_ATTRIBUTES");
	if (v && *v && pairs("OTEL_RESOURCE_ATTRIBUTES", v, &c->resource, &c->nresource, 0) < 0)
		return -1;
	v = getenv("OTEL_SERVICE_NAME");
	for (int i = 0; !(v && *v) && i < c->nresource; i += 2)
		if (!strcmp(c->resource[i], "service.name"))
			v = c->resource[i + 1];
	c->service = strdup(v && *v ? v : "joinrun");
	return 0;
}

static void context_in(struct jr_otlp_cfg *c)
{
	const char *v = getenv("TRACEPARENT");
	if (!v || !*v)
		return;
	if (join_traceparent_parse(v, &c->in) < 0) {
		fail("TRACEPARENT", v,
		     "not a W3C traceparent: ignored, the run starts a new trace");
		return;
	}
	c->has_in = 1;
	c->tracestate = getenv("TRACESTATE");
}

int jr_otlp_config(struct jr_otlp_cfg *c, int send, const char *url_opt, const char *file)
{
	memset(c, 0, sizeof *c);
	c->send = send;
	c->file = file;
	if (disabled()) {
		fprintf(stderr, "joinrun: OTEL_SDK_DISABLED is true: no OpenTelemetry export\n");
		c->send = 0;
		c->file = NULL;
		return 0;
	}
	if ((send && (where(c, url_opt) < 0 || how(c) < 0)) || resource(c) < 0)
		return -1;
	context_in(c);
	return 0;
}

void jr_otlp_config_free(struct jr_otlp_cfg *c)
{
	for (int i = 0; i < c->nheaders; i++)
		free(c->headers[i]);
	for (int i = 0; i < c->nresource; i++)
		free(c->resource[i]);
	free(c->headers);
	free(c->resource);
	free(c->url);
	free(c->shown);
	free(c->service);
}

void jr_otlp_trace(const struct jr_otlp_cfg *c, struct join_tracectx *t, uint64_t *parent)
{
	if (c->has_in) {
		*t = c->in;
		*parent = c->in.span;
		return;
	}
	memset(t, 0, sizeof *t);
	*parent = 0;
	t->flags = 1; /* sampled: joinrun records every process */
	while (getrandom(t->trace, sizeof t->trace, 0) != sizeof t->trace)
		;
	t->trace[0] |= t->trace[0] ? 0 : 1; /* never all zeros */
}
