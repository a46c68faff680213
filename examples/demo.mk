# SPDX-License-Identifier: MIT
# make demo: build the library and run the bundled tree (examples/demo.c) under it.
.PHONY: demo
$(B)/examples/demo: examples/demo.c | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra $(WERROR) -o $@ $<

demo: $(B)/libjoin.so $(B)/examples/demo $(B)/joinrun
	@echo "== LD_PRELOAD=\$$PWD/$(B)/libjoin.so $(B)/examples/demo   (await records on stderr)"
	@cd $(B)/examples && LD_PRELOAD=$(abspath $(B)/libjoin.so) ./demo; rm -f core core.[0-9]*
	@echo; echo "== joinrun --summary -- sh -c '...'   (a tree: sh, sleep, true, false)"
	@$(B)/joinrun --summary -- sh -c 'for i in 1 2 3; do sleep 0.05; done; /bin/false; /bin/true' || true
