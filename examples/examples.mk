# SPDX-License-Identifier: MIT
# examples.mk - build/examples/pool, the proc_join worker pool (examples/pool.c), linked
# with -ljoin as a user of the library would; examples/pool.py is its twin under
# LD_PRELOAD.  Not in `all`; the proc_join integration test runs both.
$(B)/examples/pool: examples/pool.c include/join.h $(B)/libjoin.so
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=gnu11 -O2 -Wall -Wextra $(WERROR) -o $@ $< \
	  -L$(B) -ljoin -Wl,-rpath,$(abspath $(B))

TEST_EXTRA += $(B)/examples/pool
