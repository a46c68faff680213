# SPDX-License-Identifier: MIT
# Tests: cmocka unit tests of the engine (tests/unit), real-child integration
# tests (tests/integration/*.sh, helper programs in tests/progs).
# UNIT_BIN, PROG_BIN and INTEG are named in the Makefile, before every fragment.

$(B)/tests/unit/%: tests/unit/%.c $(B)/libshim.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fvisibility=default -o $@ $< $(B)/libshim.a -lcmocka $(LDLIBS)

# test_nested drives the table's hook inside its section (-DJOIN_TEST): its own
# table.o, linked before the archive, whose table.o is then never pulled in.
$(B)/tests/unit/test_nested: tests/unit/test_nested.c shim/table/table.c $(B)/libshim.a tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -DJOIN_TEST -fvisibility=default -o $@ $< shim/table/table.c \
	  $(B)/libshim.a -lcmocka $(LDLIBS)

# Test programs link against the library like any user of -ljoin would;
# plain_*.c do not: they are the "unmodified programs" run natively and preloaded.
$(B)/tests/progs/plain_%: tests/progs/plain_%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=gnu11 -O1 -g -Wall -Wextra $(WERROR) $(SAN) -o $@ $< -lpthread
$(B)/tests/progs/%: tests/progs/%.c $(B)/libjoin.so
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=gnu11 -O1 -g -Wall -Wextra $(WERROR) $(SAN) -o $@ $< \
	  -L$(B) -ljoin -Wl,-rpath,$(abspath $(B)) -lpthread

.PHONY: test test-unit test-integration
test-unit: $(UNIT_BIN)
	@tests/run-unit.sh $(UNIT_BIN)
test-integration: $(B)/libjoin.so $(PROG_BIN) $(TEST_EXTRA)
	@B=$(B) tests/run-integration.sh $(INTEG)
test: $(B)/libjoin.so $(UNIT_BIN) $(PROG_BIN) $(TEST_EXTRA)
	@B=$(B) tests/run-all.sh "$(UNIT_BIN)" "$(INTEG)"
