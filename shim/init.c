/* SPDX-License-Identifier: MIT */
/* init.c - the engine's start: configuration once, warnings once (for the tree:
 * warned.c). */
#include "base/config.h"
#include "log/diag.h"
#include "engine.h"
#include "log/log.h"
#include "log/warned.h"
#include <string.h>

int join_on;

void join_init(char **envp, int secure)
{
	/* Room for a warning of each variable at its longest; static, as 4 KB more of
	 * stack would be one more page touched at every exec. */
	static char warn[4096];
	join_config_parse(&join_cfg, envp, secure, warn, sizeof warn);
	join_on = join_cfg.on;
	size_t n = warn[0] ? join_warned_filter(warn, strlen(warn), envp) : 0;
	if (n)
		join_diag_write(warn, n);
	/* SIGCHLD ignored is inherited across exec: then the kernel reaps from the start. */
	struct sigaction cur;
	if (join_on && join_sigchld_now(&cur) == 0)
		join_sigchld(&cur);
}
