/* SPDX-License-Identifier: MIT */
/*
 * schema.h - the JSONL schema's lists, written once: the library's writer
 * (jsonl.c, reap.c) and joinrun's reader (tools/logread.c) are built from
 * them, so a field is added or renamed in one place.
 */
#ifndef JOIN_SCHEMA_H
#define JOIN_SCHEMA_H

/* The rusage part of a reap, as /usr/bin/time -v shows it: the record's member, which
 * is also its JSON key, and the member of struct rusage it comes from. */
#define JOIN_RUSAGE_FIELDS(X)                                                                      \
	X(maxrss_kb, ru_maxrss)                                                                    \
	X(minflt, ru_minflt)                                                                       \
	X(majflt, ru_majflt)                                                                       \
	X(inblock, ru_inblock)                                                                     \
	X(oublock, ru_oublock)                                                                     \
	X(nvcsw, ru_nvcsw)                                                                         \
	X(nivcsw, ru_nivcsw)
#endif
