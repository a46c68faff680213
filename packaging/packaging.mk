# packaging.mk - the release: `make deb` builds the Debian package (debhelper, in a
# copy of the tree under $(B)/deb: dpkg-buildpackage writes beside the source), and
# `make check-glibc` checks that the library loads on the oldest supported glibc.
DEB_DIR   := $(B)/deb
DEB_SRC   := $(DEB_DIR)/libjoin-$(VERSION)
DEB_FILES := Makefile README.md include shim preload tools man tests bench examples docs
DEB_DEPS  := /usr/bin/dh:debhelper /usr/bin/dpkg-buildpackage:dpkg-dev /usr/bin/lintian:lintian \
             /usr/bin/fakeroot:fakeroot
# The oldest supported glibc, which the library must load on.  The pidfd_spawn reals
# (2.39) are looked up at run time, so they are no reference of ours.
GLIBC_FLOOR ?= 2.34

DEB_FILE  := $(DEB_DIR)/libjoin_$(VERSION)_$(shell dpkg --print-architecture 2>/dev/null).deb

.PHONY: deb deb-deps check-glibc test-deb
deb: $(DEB_FILE)
deb-deps:
	@$(MAKE) -s deps DEPS="$(DEB_DEPS)" B=$(DEB_DIR)
$(DEB_FILE): $(shell find $(DEB_FILES) packaging -type f 2>/dev/null) | deb-deps
	rm -rf $(DEB_DIR)/libjoin-* $(DEB_DIR)/libjoin_* $(DEB_DIR)/libjoin-dbgsym_*
	mkdir -p $(DEB_SRC)
	cp -r $(DEB_FILES) $(DEB_SRC)/ && cp -r packaging $(DEB_SRC)/ && cp -r packaging/debian $(DEB_SRC)/
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc >../build.log 2>&1 || { tail -20 ../build.log; exit 1; }
	@ls $@

# Every glibc symbol version the library needs from libc, at most GLIBC_FLOOR.
check-glibc: $(B)/libjoin.so
	@packaging/check-glibc $(GLIBC_FLOOR) $<

# The package: its contents, lintian, and the library it holds (tests/deb.sh).
test-deb: $(DEB_FILE)
	@B=$(B) tests/deb.sh $<
