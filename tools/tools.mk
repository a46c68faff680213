# tools.mk - build/joinrun, the launcher (included by the top Makefile).
# JOIN_LIBDIR is where `make install` puts libjoin.so; joinrun looks there
# when no libjoin.so sits beside it.
PREFIX      ?= /usr/local
LIBDIR      ?= $(PREFIX)/lib
TOOLS_SRC   := $(sort $(wildcard tools/*.c))
TOOLS_OBJ   := $(TOOLS_SRC:%.c=$(B)/%.o)

$(TOOLS_OBJ): CPPFLAGS += -DJOIN_LIBDIR='"$(LIBDIR)"'
$(TOOLS_OBJ): $(wildcard tools/*.h) tools/tools.mk

# The collector's engine comes from the engine's archive (shim/collect.c and what it uses).
$(B)/joinrun: $(TOOLS_OBJ) $(B)/libshim.a
	$(CC) $(CFLAGS) -fPIE -pie -o $@ $(TOOLS_OBJ) $(B)/libshim.a -ljansson -lm

all: $(B)/joinrun
TEST_EXTRA += $(B)/joinrun
