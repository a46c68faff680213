/* SPDX-License-Identifier: MIT */
/*
 * fuzz_tokenize.c - join_tokenize on any bytes against the reference
 * tokenizer of fuzz.h: the same count, the same unquoted fields, every
 * field a NUL-terminated string inside the buffer, in order, never
 * overlapping, and never more than maxargs.
 */
#include "fuzz.h"
#include "join.h"

static struct ref_field ref[REF_MAXF];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > REF_FLEN)
		return 0;
	int max = data[0] % (REF_MAXF + 1), open;
	size_t len = size - 1;
	char *s = malloc(len + 1);
	char *args[REF_MAXF + 1];
	memcpy(s, data + 1, len);
	s[len] = 0;
	int want = ref_tokenize(s, ref, max, &open);
	args[max] = (char *)1; /* a guard: maxargs must not be passed */
	int n = join_tokenize(s, args, max);
	CHECK(n == want, "%d fields, reference %d", n, want);
	CHECK(args[max] == (char *)1, "wrote args[%d] past maxargs", max);
	for (int i = 0; i < n; i++) {
		CHECK(args[i] >= s && args[i] <= s + len, "field %d outside the buffer", i);
		size_t k = strnlen(args[i], (size_t)(s + len - args[i]) + 1);
		CHECK(args[i] + k <= s + len, "field %d not terminated inside the buffer", i);
		CHECK(i == 0 || args[i] > args[i - 1] + strlen(args[i - 1]), "field %d overlaps",
		      i);
		CHECK(k == ref[i].len && memcmp(args[i], ref[i].s, k) == 0,
		      "field %d is \"%.*s\", reference \"%.*s\"", i, (int)k, args[i],
		      (int)ref[i].len, ref[i].s);
	}
	free(s);
	return 0;
}
