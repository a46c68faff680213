/* SPDX-License-Identifier: MIT */
/* shell.c - system, popen and pclose: their children are made and reaped inside libc.
 * system is done by the engine; popen too under musl, whose FILE is opaque. */
#include "engine.h"
#include "intercept.h"

INTERCEPT(int, system, const char *line)
{
	if (!join_ready())
		return REAL(system)(line);
	join_resolve_handlers();
	return join_system(line);
}

#ifdef __GLIBC__
INTERCEPT(FILE *, popen, const char *cmd, const char *mode)
{
	if (!join_ready())
		return REAL(popen)(cmd, mode);
	join_resolve_handlers();
	uint64_t t0 = join_forkrec_begin();
	FILE *fp = REAL(popen)(cmd, mode);
	join_popen_end(fp, t0);
	return fp;
}

INTERCEPT(int, pclose, FILE *fp)
{
	struct join_pclose tok;
	if (!join_ready())
		return REAL(pclose)(fp);
	join_pclose_begin(fp, &tok);
	int r = REAL(pclose)(fp);
	join_pclose_end(&tok, r);
	return r;
}
#else
INTERCEPT(FILE *, popen, const char *cmd, const char *mode)
{
	if (!join_ready())
		return REAL(popen)(cmd, mode);
	join_resolve_handlers();
	return join_popen(cmd, mode);
}

INTERCEPT(int, pclose, FILE *fp)
{
	int r;
	if (join_pclose(fp, &r)) /* ours whether or not the engine runs now */
		return r;
	return REAL(pclose)(fp);
}
#endif
