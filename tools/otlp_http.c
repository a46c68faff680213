/* SPDX-License-Identifier: MIT */
/*
 * otlp_http.c - one OTLP/HTTP request through libcurl, as the OTLP specification
 * says: POST to the traces endpoint; 429, 502, 503 and 504 (and no connection)
 * retried with exponential backoff and jitter, Retry-After honoured, never past
 * the deadline; a 2xx answer read for partial_success.  gzip by zlib.  No header
 * and no body is ever shown: a header may be a token.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <zlib.h>

#include "otlp.h"
#include "otlp_curl.h"
#include "tools.h"

static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

struct buf {
	char *p;
	size_t n;
};

static size_t keep(char *data, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t add = size * n;
	if (b->n + add > 1 << 20) /* an answer is small: the rest is not ours to keep */
		return add;
	b->p = jr_xrealloc(b->p, b->n + add + 1);
	memcpy(b->p + b->n, data, add);
	b->n += add;
	b->p[b->n] = 0;
	return add;
}

/* body as gzip (malloc'd into *out); -1 if zlib fails. */
static int gzip(const void *body, size_t len, struct buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return -1;
	out->n = deflateBound(&z, len);
	out->p = jr_xmalloc(out->n);
	z.next_in = (Bytef *)body;
	z.avail_in = len;
	z.next_out = (Bytef *)out->p;
	z.avail_out = out->n;
	int rc = deflate(&z, Z_FINISH);
	out->n = z.total_out;
	deflateEnd(&z);
	return rc == Z_STREAM_END ? 0 : -1;
}

/* The spans a 2xx answer says were refused (partial_success.rejected_spans); -1 if
 * the answer is not an ExportTraceServiceResponse. */
static long rejected_of(const struct jr_otlp_cfg *c, const struct buf *b, char **msg)
{
	long n = 0;
	*msg = NULL;
	if (!b->n)
		return 0;
	if (c->json) {
		json_t *o = json_loadb(b->p, b->n, 0, NULL), *ps;
		if (!o || !json_is_object(o)) {
			json_decref(o);
			return -1;
		}
		if ((ps = json_object_get(o, "partialSuccess"))) {
			json_t *r = json_object_get(ps, "rejectedSpans");
			n = json_is_string(r) ? atol(json_string_value(r))
			                      : (long)json_integer_value(r);
			const char *e = json_string_value(json_object_get(ps, "errorMessage"));
			*msg = e && *e ? strdup(e) : NULL;
		}
		json_decref(o);
		return n;
	}
	Joinrun__Otlp__ExportTraceServiceResponse *r =
	    joinrun__otlp__export_trace_service_response__unpack(NULL, b->n, (uint8_t *)b->p);
	if (!r)
		return -1;
	if (r->partial_success) {
		n = (long)r->partial_success->rejected_spans;
		const char *e = r->partial_success->error_message;
		*msg = e && *e ? strdup(e) : NULL;
	}
	joinrun__otlp__export_trace_service_response__free_unpacked(r, NULL);
	return n;
}

/* What the OTLP specification calls retryable: these statuses, and a connection that
 * could not be made or broke (the collector restarting); not a bad URL or TLS. */
static int retryable(CURLcode cc, long status)
{
	if (cc != CURLE_OK)
		return cc == CURLE_COULDNT_CONNECT || cc == CURLE_COULDNT_RESOLVE_HOST ||
		       cc == CURLE_SEND_ERROR || cc == CURLE_RECV_ERROR || cc == CURLE_GOT_NOTHING;
	return status == 429 || status == 502 || status == 503 || status == 504;
}

/* The wait before attempt k (from 1): 2^k * 100 ms, at most 5 s, times a jitter in
 * [0.5, 1.5); longer if Retry-After asked for more. */
static int64_t backoff(int k, long retry_after)
{
	unsigned r = 0;
	if (getrandom(&r, sizeof r, 0) != sizeof r)
		r = (unsigned)mono_ns();
	int64_t ms = 100LL << (k < 6 ? k : 6);
	ms = ms > 5000 ? 5000 : ms;
	int64_t wait = (int64_t)(ms * (0.5 + (r % 1000) / 1000.0)) * 1000000;
	return retry_after * 1000000000LL > wait ? retry_after * 1000000000LL : wait;
}

static CURL *easy(const struct jr_curl *cu, const struct jr_otlp_cfg *c, struct curl_slist **h,
                  struct buf *in)
{
	CURL *e = cu->curl_easy_init();
	if (!e)
		return NULL;
	*h = cu->curl_slist_append(NULL, c->json ? "Content-Type: application/json"
	                                         : "Content-Type: application/x-protobuf");
	if (c->gzip)
		*h = cu->curl_slist_append(*h, "Content-Encoding: gzip");
	*h = cu->curl_slist_append(*h, "Expect:"); /* no 100-continue round trip */
	for (int i = 0; i < c->nheaders; i++)
		*h = cu->curl_slist_append(*h, c->headers[i]);
	cu->curl_easy_setopt(e, CURLOPT_URL, c->url);
	cu->curl_easy_setopt(e, CURLOPT_HTTPHEADER, *h);
	cu->curl_easy_setopt(e, CURLOPT_USERAGENT, "joinrun/" JOIN_VERSION);
	cu->curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	cu->curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	cu->curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, keep);
	cu->curl_easy_setopt(e, CURLOPT_WRITEDATA, in);
	return e;
}

int jr_otlp_post(const struct jr_otlp_cfg *c, const void *body, size_t len, int64_t deadline,
                 long *rejected, char **why)
{
	struct buf z = {0}, in = {0};
	struct curl_slist *h = NULL;
	char err[CURL_ERROR_SIZE] = "";
	*rejected = 0;
	*why = NULL;
	if (c->gzip && gzip(body, len, &z) < 0) {
		free(z.p);
		*why = strdup("gzip failed");
		return -1;
	}
	const struct jr_curl *cu = jr_curl();
	CURL *e = cu ? easy(cu, c, &h, &in) : NULL;
	if (!e) {
		free(z.p);
		*why = strdup("libcurl could not start");
		return -1;
	}
	cu->curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->gzip ? z.p : body);
	cu->curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(c->gzip ? z.n : len));
	cu->curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
	int rc = -1;
	for (int k = 1;; k++) {
		int64_t left = deadline - mono_ns();
		if (left <= 0) {
			if (!*why)
				*why = strdup("no answer before the timeout");
			break;
		}
		long ms = (long)(left / 1000000) + 1;
		cu->curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, ms);
		cu->curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ms);
		in.n = 0;
		err[0] = 0;
		CURLcode cc = cu->curl_easy_perform(e);
		long status = 0;
		curl_off_t after = -1;
		cu->curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
		cu->curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &after);
		free(*why);
		*why = NULL;
		if (cc == CURLE_OK && status >= 200 && status < 300) {
			char *msg;
			long n = rejected_of(c, &in, &msg);
			if (n < 0)
				fprintf(stderr,
				        "joinrun: otlp: %s answered %ld with a body that is not "
				        "an ExportTraceServiceResponse: taken as accepted\n",
				        c->shown, status);
			else if (n > 0 || msg) {
				*rejected = n;
				if (asprintf(why, "%ld spans rejected (partial_success%s%.200s)", n,
				             msg ? ": " : "", msg ? msg : "") < 0)
					*why = NULL;
			}
			free(msg);
			rc = 0;
			break;
		}
		int again = retryable(cc, status);
		if (cc != CURLE_OK) {
			if (asprintf(why, "%s", err[0] ? err : cu->curl_easy_strerror(cc)) < 0)
				*why = NULL;
		} else if (asprintf(why, "HTTP %ld", status) < 0)
			*why = NULL;
		int64_t wait = backoff(k, after >= 0 ? (long)after : -1);
		if (!again || mono_ns() + wait >= deadline)
			break;
		struct timespec ts = {wait / 1000000000, wait % 1000000000};
		while (nanosleep(&ts, &ts) < 0)
			;
	}
	cu->curl_easy_cleanup(e);
	cu->curl_slist_free_all(h);
	free(z.p);
	free(in.p);
	return rc;
}
