# debian13.mk - `make test-debian13`: make test in a fresh Debian 13 root (glibc 2.41),
# the library built there checked to load on glibc 2.34, and this tree's package
# installed there with apt (tests/debian13.sh).  Needs root; CI runs it.
DEBIAN13_DEPS := /usr/bin/mmdebstrap:mmdebstrap
.PHONY: test-debian13
test-debian13: $(DEB_FILE)
	@$(MAKE) -s deps DEPS="$(DEBIAN13_DEPS)" B=$(B)/debian13
	@tests/debian13.sh $<
