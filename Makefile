# SPDX-License-Identifier: MIT
# libjoin - see README.md.  `make` builds build/libjoin.so; `make demo`, `make test`.
VERSION  := 1.0
CC       ?= cc
B        ?= build
OPT      ?= -O2
WERROR   ?= -Werror
SAN      ?=
CPPFLAGS += -Iinclude -Ishim -D_GNU_SOURCE
CFLAGS   += -std=gnu11 $(OPT) -g -fPIC -fvisibility=hidden -Wall -Wextra $(WERROR) $(SAN)
LDLIBS   += -ldl -lpthread

# The target: its architecture and libc, asked of the compiler (CC=aarch64-linux-gnu-gcc,
# CC=musl-gcc); preload/ holds what differs per target (docs/DESIGN.md, "Platforms").
# CPU is the compiler's name for it (x86_64, aarch64); ARCH is Debian's, for `make deb`.
HASH        := \#
CPU         := $(firstword $(subst -, ,$(shell $(CC) -dumpmachine)))
LIBC        := $(lastword $(shell printf '$(HASH)include <features.h>\n$(HASH)ifdef __GLIBC__\nglibc\n$(HASH)else\nmusl\n$(HASH)endif\n' | $(CC) -E -P -x c - 2>/dev/null))
HOST_CPU    := $(firstword $(subst -, ,$(shell cc -dumpmachine)))
ifeq ($(LIBC),musl)
# musl-gcc sees no header of /usr/include: a directory of our own with only what we
# use from there (uthash, the kernel's linux/ and asm/ headers).
CPPFLAGS    += -isystem $(B)/musl-include
TARGET_DEPS := $(B)/musl-include/.made
endif
ifeq ($(CPU),aarch64)
CFLAGS      += -mbranch-protection=standard
endif
ifneq ($(CPU),$(HOST_CPU))
# A cross compiler looks for <triple>-ld.lld on PATH, but for ld.lld in its -B
# directory: lld links every architecture.
LDFLAGS     += -B$(abspath $(B))/cross-ld/
TARGET_DEPS += $(B)/cross-ld/ld.lld
endif
ifneq ($(CPU)-$(LIBC),$(HOST_CPU)-glibc)
# Another target: the library only (joinrun, a tool of the host, needs its jansson).
.DEFAULT_GOAL := $(B)/libjoin.so
endif

SHIM_SRC    := $(sort $(wildcard shim/*.c shim/*/*.c))
PRELOAD_SRC := $(sort $(wildcard preload/*.c))
SHIM_OBJ    := $(SHIM_SRC:%.c=$(B)/%.o)
PRELOAD_OBJ := $(PRELOAD_SRC:%.c=$(B)/%.o) $(B)/preload/vfork.o
# The tests, named here so that every fragment (tests/reliability.mk too) sees them.
UNIT_SRC    := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN    := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/unit/%)
PROG_SRC    := $(sort $(wildcard tests/progs/*.c))
PROG_BIN    := $(PROG_SRC:tests/progs/%.c=$(B)/tests/progs/%)
INTEG       := $(sort $(filter-out tests/integration/lib.sh,$(wildcard tests/integration/*.sh)))

# Debian packages the build and tests need: file -> package.  lld links the
# library: GNU ld also lists the version nodes (GLIBC_2.15, ...) that let us
# interpose both versions of posix_spawn as exported symbols of their own.
DEPS := /usr/include/uthash.h:uthash-dev /usr/include/cmocka.h:libcmocka-dev \
        /usr/include/jansson.h:libjansson-dev /usr/bin/pkg-config:pkg-config \
        /usr/bin/xmllint:libxml2-utils /usr/bin/rsvg-convert:librsvg2-bin \
        /usr/bin/make:make /usr/bin/dash:dash /usr/bin/perl:perl /usr/bin/python3:python3 \
        /usr/bin/jq:jq /usr/bin/clang:clang /usr/bin/valgrind:valgrind /usr/bin/ld.lld:lld /usr/bin/clang-format:clang-format /usr/bin/strace:strace \
        /usr/bin/bwrap:bubblewrap \
        /usr/bin/curl-config:libcurl4-openssl-dev /usr/include/protobuf-c/protobuf-c.h:libprotobuf-c-dev \
        /usr/bin/protoc-c:protobuf-c-compiler /usr/include/zlib.h:zlib1g-dev \
        /usr/bin/protoc:protobuf-compiler /usr/lib/python3/dist-packages/google/protobuf:python3-protobuf
# $(call missing,LIST): the packages of LIST (file:package) whose file is absent.
missing = $(foreach d,$(1),$(if $(wildcard $(word 1,$(subst :, ,$(d)))),,$(word 2,$(subst :, ,$(d)))))
# $(call install_missing,PACKAGES,LOG): installs them (as root, with apt), else says how.
define install_missing
miss="$(strip $(1))"; \
if [ -n "$$miss" ]; then \
  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
    echo "installing: $$miss"; \
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$miss) >$(2) 2>&1 \
      || { tail -20 $(2); echo "could not install: run  apt-get install -y $$miss"; exit 1; }; \
  else echo "missing Debian packages; run:  sudo apt-get install -y $$miss"; exit 1; fi; \
fi
endef

.PHONY: all deps test demo clean format format-check check-exports
all: $(B)/libjoin.so

deps: $(B)/.deps
$(B)/.deps:
	@mkdir -p $(B)
	@$(call install_missing,$(call missing,$(DEPS)),$(B)/deps.log)
	@touch $@

$(B)/musl-include/.made: | $(B)/.deps
	@mkdir -p $(dir $@)
	ln -sfn /usr/include/uthash.h /usr/include/linux /usr/include/asm-generic $(dir $@)
	ln -sfn /usr/include/$(CPU)-linux-gnu/asm $(dir $@)asm
	@touch $@
$(B)/cross-ld/ld.lld: | $(B)/.deps
	@mkdir -p $(dir $@)
	ln -sfn $$(command -v ld.lld) $@

# Each object depends on the headers it includes, as the compiler lists them (-MMD) in
# a .d file beside it; -MP keeps a removed header from stopping the build.
DEPFLAGS := -MMD -MP
$(B)/%.o: %.c | $(B)/.deps $(TARGET_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(DEPFLAGS) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<
# ASan's and TSan's own starts call setrlimit before they can take an instrumented
# call (no shadow memory, no thread state yet): the interposer is built without them.
NO_EARLY_SAN := -fno-sanitize=address,thread
$(B)/preload/rlimit.o: CFLAGS += $(if $(SAN),$(NO_EARLY_SAN))
$(B)/preload/%.o: preload/%.S
	@mkdir -p $(dir $@)
	$(CC) $(DEPFLAGS) $(CPPFLAGS) $(SAN) -c -o $@ $<

# The version script of this target: preload/libjoin.map.in through its preprocessor.
$(B)/libjoin.map: preload/libjoin.map.in | $(B)/.deps
	$(CC) -E -P -std=c11 -x c -o $@ $<

# preload/childpage.o first: it starts .text.hot on a page boundary (shim/base/hotpage.h).
$(B)/libjoin.so: $(B)/preload/childpage.o $(SHIM_OBJ) $(PRELOAD_OBJ) $(B)/libjoin.map $(TARGET_DEPS)
	$(CC) $(CFLAGS) $(LDFLAGS) -shared -fuse-ld=lld -Wl,-soname,libjoin.so -Wl,--version-script=$(B)/libjoin.map \
	  -Wl,-z,norelro -Wl,-z,separate-loadable-segments -Wl,-z,keep-text-section-prefix -o $@ $(B)/preload/childpage.o $(SHIM_OBJ) $(PRELOAD_OBJ) $(LDLIBS)

# The engine alone, for unit tests: no preload layer, no dlsym.
$(B)/libshim.a: $(SHIM_OBJ)
	rm -f $@ && ar rcs $@ $^

# Each part of the tree brings its own targets (tools/tools.mk, bench/bench.mk, ...);
# they may add to TEST_EXTRA, which tests/tests.mk's prerequisites expand as they are
# read, so it comes last; the lists they all use are named above.
include $(sort $(filter-out tests/tests.mk,$(wildcard */*.mk)))
include tests/tests.mk
# The header lists of the objects built so far (none before the first build).
-include $(patsubst %.o,%.d,$(SHIM_OBJ) $(PRELOAD_OBJ) $(B)/preload/childpage.o $(TOOLS_OBJ))

clean:
	rm -rf $(B)

FORMAT_SRC = $(wildcard include/*.h shim/*.[ch] shim/*/*.[ch] preload/*.[ch] tests/*/*.[ch] tools/*.[ch] bench/*.[ch] examples/*.[ch])
format:
	clang-format -i $(FORMAT_SRC)
format-check:
	clang-format --dry-run -Werror $(FORMAT_SRC)

# Install: the library, the header, the launcher, man pages and join.pc.
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
PCDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=
.PHONY: install uninstall
$(B)/join.pc: tools/join.pc.in $(B)/dirs.stamp
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@
install: $(B)/libjoin.so $(B)/joinrun $(B)/join.pc
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PCDIR) $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/bin \
	  $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man3
	install -m 755 $(B)/libjoin.so $(DESTDIR)$(LIBDIR)/libjoin.so
	install -m 644 include/join.h $(DESTDIR)$(PREFIX)/include/join.h
	install -m 755 $(B)/joinrun $(DESTDIR)$(PREFIX)/bin/joinrun
	install -m 644 $(B)/join.pc $(DESTDIR)$(PCDIR)/join.pc
	install -m 644 man/libjoin.3 $(DESTDIR)$(PREFIX)/share/man/man3/libjoin.3
	install -m 644 man/joinrun.1 $(DESTDIR)$(PREFIX)/share/man/man1/joinrun.1
uninstall:
	rm -f $(DESTDIR)$(LIBDIR)/libjoin.so $(DESTDIR)$(PCDIR)/join.pc \
	  $(DESTDIR)$(PREFIX)/include/join.h $(DESTDIR)$(PREFIX)/bin/joinrun \
	  $(DESTDIR)$(PREFIX)/share/man/man3/libjoin.3 $(DESTDIR)$(PREFIX)/share/man/man1/joinrun.1
