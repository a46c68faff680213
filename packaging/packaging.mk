# SPDX-License-Identifier: MIT
# packaging.mk - the release: `make deb` builds the Debian package (debhelper, in a
# copy of the tree under $(B)/deb: dpkg-buildpackage writes beside the source), and
# `make check-glibc` checks that the library loads on the oldest supported glibc.
DEB_DIR   := $(B)/deb
DEB_FILES := Makefile README.md include shim preload tools man tests bench examples docs
DEB_DEPS  := /usr/bin/dh:debhelper /usr/bin/dpkg-buildpackage:dpkg-dev /usr/bin/lintian:lintian \
             /usr/bin/fakeroot:fakeroot
# The oldest supported glibc, which the library must load on.  The pidfd_spawn reals
# (2.39) are looked up at run time, so they are no reference of ours.
GLIBC_FLOOR ?= 2.34

# ARCH is the package's Debian architecture: this machine's, or arm64 cross-built
# (`make deb ARCH=arm64`: aarch64-linux-gnu-gcc, jansson from Debian's arm64 archive).
# Each architecture builds in a directory of its own; the host's is $(B)/deb.
DEB_HOST_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
ARCH          ?= $(DEB_HOST_ARCH)
deb_dir        = $(B)/deb$(if $(filter-out $(DEB_HOST_ARCH),$(1)),-$(1))
deb_file       = $(call deb_dir,$(1))/libjoin_$(VERSION)_$(1).deb
DEB_FILE      := $(call deb_file,$(DEB_HOST_ARCH))
DEB_ARM64     := $(call deb_file,arm64)
# What an arm64 package needs here: the cross compiler, and the libraries joinrun
# builds with, of arm64, from the archive (dpkg knows arm64 as a foreign architecture);
# % stands for the colon.
DEB_ARM64_DEPS := /usr/bin/aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu \
                  /usr/aarch64-linux-gnu/include/stdio.h:libc6-dev-arm64-cross \
                  /usr/lib/aarch64-linux-gnu/libjansson.so:libjansson-dev%arm64 \
                  /usr/lib/aarch64-linux-gnu/libprotobuf-c.so:libprotobuf-c-dev%arm64 \
                  /usr/lib/aarch64-linux-gnu/libz.so:zlib1g-dev%arm64 \
                  /usr/include/aarch64-linux-gnu/curl/curl.h:libcurl4-openssl-dev%arm64

.PHONY: deb deb-deps deb-deps-arm64 check-glibc test-deb
deb: $(call deb_file,$(ARCH))
deb-deps:
	@$(MAKE) -s deps DEPS="$(DEB_DEPS)" B=$(DEB_DIR)
deb-deps-arm64: deb-deps
	@if [ -n "$(DEB_ARM64_MISSING)" ] && [ "$$(id -u)" = 0 ] && \
	  ! dpkg --print-foreign-architectures | grep -qx arm64; then dpkg --add-architecture arm64; fi
	@$(call install_missing,$(DEB_ARM64_MISSING),$(DEB_DIR)/deps-arm64.log)
DEB_ARM64_MISSING = $(strip $(subst %,:,$(call missing,$(DEB_ARM64_DEPS))))

# $(call deb_rule,ARCH): the package of that architecture, from a copy of the tree
# (dpkg-buildpackage writes beside the source); a foreign one is cross-built (-a).
define deb_rule
$(call deb_file,$(1)): $$(shell find $$(DEB_FILES) packaging -type f 2>/dev/null) | deb-deps$(if $(filter-out $(DEB_HOST_ARCH),$(1)),-$(1))
	rm -rf $(call deb_dir,$(1))/libjoin-* $(call deb_dir,$(1))/libjoin_* $(call deb_dir,$(1))/libjoin-dbgsym_*
	mkdir -p $(call deb_dir,$(1))/libjoin-$$(VERSION)
	cp -r $$(DEB_FILES) packaging packaging/debian $(call deb_dir,$(1))/libjoin-$$(VERSION)/
	cd $(call deb_dir,$(1))/libjoin-$$(VERSION) && env -u MAKEFLAGS -u MAKELEVEL -u ARCH \
	  dpkg-buildpackage -b -us -uc $(if $(filter-out $(DEB_HOST_ARCH),$(1)),-a$(1)) >../build.log 2>&1 || { tail -20 ../build.log; exit 1; }
	@ls $$@
endef
$(foreach a,$(sort $(DEB_HOST_ARCH) arm64),$(eval $(call deb_rule,$(a))))

# Every glibc symbol version the library needs from libc, at most GLIBC_FLOOR.
check-glibc: $(B)/libjoin.so
	@packaging/check-glibc $(GLIBC_FLOOR) $<

# The packages: contents, lintian and the library they hold (tests/deb.sh); the arm64
# one also installed in the Debian 13 root and run there under qemu-user with the
# aarch64 demo (tests/deb-arm64.sh, as root: the root is made once, for test-debian13 too).
test-deb: $(DEB_FILE) $(DEB_ARM64) platform-deps debian13-deps
	@B=$(B) tests/deb.sh $(DEB_FILE)
	@B=$(B) tests/deb.sh $(DEB_ARM64)
	@$(MAKE) -s --no-print-directory B=$(B)-aarch64 CC=aarch64-linux-gnu-gcc $(B)-aarch64/examples/demo
	@tests/deb-arm64.sh $(DEB_ARM64) $(B)-aarch64/examples/demo
