/* watch_off.c - placeholder until the watcher lands: watch mode records nothing extra. */
#include "watch.h"

void join_watch_setup(void)
{
}
