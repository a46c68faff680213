# tools.mk - build/joinrun, the launcher (included by the top Makefile).
# JOIN_LIBDIR is where `make install` puts libjoin.so; joinrun looks there
# when no libjoin.so sits beside it.
PREFIX      ?= /usr/local
LIBDIR      ?= $(PREFIX)/lib
TOOLS_SRC   := $(sort $(wildcard tools/*.c))
TOOLS_OBJ   := $(TOOLS_SRC:%.c=$(B)/%.o)

$(TOOLS_OBJ): CPPFLAGS += -DJOIN_LIBDIR='"$(LIBDIR)"' -DJOIN_VERSION='"$(VERSION)"'
$(TOOLS_OBJ): $(wildcard tools/*.h) tools/tools.mk $(B)/dirs.stamp

# The install directories the objects were built for: `make install PREFIX=/x` after
# a plain `make` must rebuild what names them (joinrun's JOIN_LIBDIR, join.pc).  The
# stamp changes only when they do, so nothing else is rebuilt.
.PHONY: dirs-force
$(B)/dirs.stamp: dirs-force
	@mkdir -p $(B)
	@echo '$(PREFIX) $(LIBDIR) $(VERSION)' | cmp -s - $@ || echo '$(PREFIX) $(LIBDIR) $(VERSION)' >$@

# joinrun checks JOIN_* values with the library's own parser (shim/config.c) and is the
# collector of its tree (shim/collect.c): both from the engine's archive.
$(B)/joinrun: $(TOOLS_OBJ) $(B)/libshim.a
	$(CC) $(CFLAGS) -fPIE -pie -o $@ $(TOOLS_OBJ) $(B)/libshim.a -ljansson -lm

all: $(B)/joinrun
TEST_EXTRA += $(B)/joinrun

# Unit tests of the launcher's model and analysis (tests/unit/test_{events,critical,
# stats,verdict}.c): linked against joinrun's objects but its main.
TOOLS_TESTS := $(B)/tests/unit/test_events $(B)/tests/unit/test_critical $(B)/tests/unit/test_stats \
               $(B)/tests/unit/test_verdict
TOOLS_LIB_OBJ := $(filter-out $(B)/tools/joinrun.o,$(TOOLS_OBJ))
$(TOOLS_TESTS): $(B)/tests/unit/%: tests/unit/%.c $(TOOLS_LIB_OBJ) $(B)/libshim.a tests/unit/unit.h tests/unit/model.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itools $(CFLAGS) -fvisibility=default -o $@ $< $(TOOLS_LIB_OBJ) \
	  $(B)/libshim.a -lcmocka -ljansson -lm
