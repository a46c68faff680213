# SPDX-License-Identifier: MIT
# await.mk - build/examples/await: Plan 9's await and wait from C, linked with -ljoin.
$(B)/examples/await: examples/await.c include/join.h $(B)/libjoin.so
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=gnu11 -O2 -Wall -Wextra $(WERROR) -o $@ $< \
	  -L$(B) -ljoin -Wl,-rpath,$(abspath $(B))

TEST_EXTRA += $(B)/examples/await
