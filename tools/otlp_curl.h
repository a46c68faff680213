/* SPDX-License-Identifier: MIT */
/*
 * otlp_curl.h - libcurl, loaded when the first request is made (otlp_curl.c):
 * linked, it and its dozens of libraries would be loaded and relocated at every
 * start of joinrun, --otlp or not (about 20 ms of CPU here).  The calls keep their
 * names: curl_easy_init() and the rest are the library's own through a table.
 */
#ifndef JR_OTLP_CURL_H
#define JR_OTLP_CURL_H
#define CURL_DISABLE_TYPECHECK /* the calls go through a table of pointers */
#include <curl/curl.h>

#define JR_CURL_CALLS(X)                                                                           \
	X(CURL *, curl_easy_init, (void))                                                          \
	X(CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...))                                   \
	X(CURLcode, curl_easy_perform, (CURL *))                                                   \
	X(CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...))                                    \
	X(void, curl_easy_cleanup, (CURL *))                                                       \
	X(const char *, curl_easy_strerror, (CURLcode))                                            \
	X(struct curl_slist *, curl_slist_append, (struct curl_slist *, const char *))             \
	X(void, curl_slist_free_all, (struct curl_slist *))

struct jr_curl {
#define X(ret, name, args) ret(*name) args;
	JR_CURL_CALLS(X)
#undef X
};
/* The table, loaded once; NULL after a message on stderr if libcurl is missing. */
const struct jr_curl *jr_curl(void);
#endif
