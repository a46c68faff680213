/* SPDX-License-Identifier: MIT */
/* init.c - the engine's start: configuration once, warnings once (for the tree:
 * warned.c). */
#include "base/config.h"
#include "log/diag.h"
#include "engine.h"
#include "log/log.h"
#include "log/warned.h"

void join_init(char **envp, int secure)
{
	/* Static, as some 2.5 KB more of stack would be one more page touched at every exec. */
	static struct join_config_warning warn[JOIN_CONFIG_WARNINGS];
	size_t n = join_config_parse(&join_cfg, envp, secure, warn, JOIN_CONFIG_WARNINGS);
	join_on = join_cfg.on;
	if (n)
		n = join_warned_filter(warn, n, envp);
	if (n)
		join_diag_config(warn, n);
	/* SIGCHLD ignored is inherited across exec: then the kernel reaps from the start. */
	struct sigaction cur;
	if (join_on && join_sigchld_now(&cur) == 0)
		join_sigchld(&cur);
}
