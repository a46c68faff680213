/* exec.c - execve, execv and execvp: the process tells the collector what it is about
 * to run (shim/image.c: one ring slot), so that a static or set-ID program, or one
 * whose environment drops libjoin, is marked "opaque".  The file is judged in the
 * collector, never here.  errno is the exec's. */
#include "engine.h"
#include "intercept.h"
#include "opaque.h"
#include <unistd.h>

extern char **environ;

INTERCEPT(int, execve, const char *path, char *const argv[], char *const envp[])
{
	if (join_ready())
		join_image_intent(0, path, envp);
	int r = REAL(execve)(path, argv, envp);
	join_image_failed(0);
	return r;
}

INTERCEPT(int, execv, const char *path, char *const argv[])
{
	if (join_ready())
		join_image_intent(0, path, environ);
	int r = REAL(execv)(path, argv);
	join_image_failed(0);
	return r;
}

INTERCEPT(int, execvp, const char *file, char *const argv[])
{
	if (join_ready())
		join_image_intent(0, file, environ);
	int r = REAL(execvp)(file, argv);
	join_image_failed(0);
	return r;
}
