/* watch_off.c - placeholder until the watcher lands: watch mode records nothing extra. */
#include "watch.h"
const struct join_watch_ops *join_watch;
void join_watch_setup(void)
{
}
