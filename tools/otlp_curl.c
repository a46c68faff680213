/* SPDX-License-Identifier: MIT */
/* otlp_curl.c - libcurl loaded on first use (otlp_curl.h). */
#include <dlfcn.h>
#include <stdio.h>

#include "otlp_curl.h"

const struct jr_curl *jr_curl(void)
{
	static struct jr_curl t;
	static int state; /* 0 not tried, 1 loaded, -1 missing */
	if (state)
		return state > 0 ? &t : NULL;
	state = -1;
	void *h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr,
		        "joinrun: otlp: libcurl.so.4 cannot be loaded (%s): apt-get install "
		        "libcurl4\n",
		        dlerror());
		return NULL;
	}
#define X(ret, name, args)                                                                         \
	if (!(*(void **)&t.name = dlsym(h, #name))) {                                              \
		fprintf(stderr, "joinrun: otlp: libcurl.so.4 has no %s\n", #name);                 \
		return NULL;                                                                       \
	}
	JR_CURL_CALLS(X)
#undef X
	state = 1;
	return &t;
}
