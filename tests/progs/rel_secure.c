/* SPDX-License-Identifier: MIT */
/*
 * rel_secure.c - what a secure-execution process sees: forks a child that
 * exits 3 and reaps it, then prints whether the status was right, whether the
 * kernel marked the process AT_SECURE, and whether libjoin is mapped in it
 * (so that a test of secure execution knows the library was really there).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char line[512];
	int st, mapped = 0;
	pid_t p = fork();
	if (p == 0)
		_exit(3);
	int ok = waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 3;
	FILE *f = fopen("/proc/self/maps", "r");
	while (f && fgets(line, sizeof line, f))
		mapped |= strstr(line, "libjoin") != NULL;
	if (f)
		fclose(f);
	printf("status %s\nsecure %lu\nlibjoin %s\n", ok ? "right" : "WRONG", getauxval(AT_SECURE),
	       mapped ? "mapped" : "absent");
	return !ok;
}
