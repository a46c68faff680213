/* init.c - the engine's start: configuration once, warnings once. */
#include "config.h"
#include "engine.h"
#include "log.h"
#include <string.h>

int join_on;

void join_init(char **envp, int secure)
{
	char warn[1024];
	join_config_parse(&join_cfg, envp, secure, warn, sizeof warn);
	join_on = join_cfg.on;
	if (warn[0])
		join_log_warn(warn, strlen(warn));
}
