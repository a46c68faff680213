/* system.c - system, popen and pclose: their children are made and reaped inside glibc. */
#include "engine.h"
#include "intercept.h"

INTERCEPT(int, system, const char *line)
{
	if (!join_ready())
		return REAL(system)(line);
	join_resolve_handlers();
	return join_system(line);
}

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
