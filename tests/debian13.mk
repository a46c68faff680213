# SPDX-License-Identifier: MIT
# debian13.mk - `make test-debian13`: make test in a fresh Debian 13 root (glibc 2.41),
# the library built there checked to load on glibc 2.34, and this tree's package
# installed there with apt (tests/debian13.sh).  `make debian13-root` only makes the
# root (tests/debian13-root.sh), which test-deb's arm64 check shares.  Needs root; CI runs it.
DEBIAN13_DEPS := /usr/bin/mmdebstrap:mmdebstrap
.PHONY: test-debian13 debian13-root debian13-deps
debian13-deps:
	@$(MAKE) -s deps DEPS="$(DEBIAN13_DEPS)" B=$(B)/debian13
debian13-root: debian13-deps
	@bash tests/debian13-root.sh
test-debian13: $(DEB_FILE) debian13-deps
	@tests/debian13.sh $<
