# SPDX-License-Identifier: MIT
# Platform suites: the library and target programs built by another compiler and
# run as the target runs them (tests/platform/run.sh).  aarch64 under qemu-user,
# musl natively.  Not in `make test`; .ci/run runs `make test-platforms`.
.PHONY: test-platforms test-aarch64 test-musl platform-deps
PLATFORM_DEPS := /usr/bin/aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu \
                 /usr/aarch64-linux-gnu/include/stdio.h:libc6-dev-arm64-cross \
                 /usr/bin/qemu-aarch64:qemu-user /usr/bin/musl-gcc:musl-tools

$(B)/tests/platform/%: tests/platform/%.c | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g -Wall -Wextra $(WERROR) -o $@ $<

platform-deps: $(B)/.deps
	@$(call install_missing,$(call missing,$(PLATFORM_DEPS)),$(B)/platform-deps.log)

# One target: T is its name, the rest how to make it.
platform-test = $(MAKE) -s B=$(B)-$(1) CC=$(2) $(B)-$(1)/libjoin.so $(B)-$(1)/tests/platform/children \
	  $(B)-$(1)/examples/demo && B=$(B)-$(1) PLATFORM=$(1) tests/run-integration.sh tests/platform/run.sh
test-aarch64: platform-deps
	@$(call platform-test,aarch64,aarch64-linux-gnu-gcc)
test-musl: platform-deps
	@$(call platform-test,musl,musl-gcc)
test-platforms: test-aarch64 test-musl
