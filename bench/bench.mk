# SPDX-License-Identifier: MIT
# bench.mk - `make bench`: libjoin's cost against native runs, an empty preloaded
# library and strace (bench/run.py); table on stdout, CSV and SVG in build/bench/.
# BENCH_ARGS passes options to the driver, e.g. BENCH_ARGS='--rounds 9 --only fork'.
BENCH_B    := $(B)/bench
BENCH_BIN  := $(BENCH_B)/work $(BENCH_B)/empty.so $(BENCH_B)/thread.so $(BENCH_B)/micro
BENCH_ARGS ?=
# What the benchmark needs beyond the build: file -> Debian package.
BENCH_DEPS := /usr/bin/gnuplot:gnuplot-nox /usr/bin/strace:strace /usr/bin/valgrind:valgrind
BENCH_MISSING = $(foreach d,$(BENCH_DEPS),$(if $(wildcard $(word 1,$(subst :, ,$(d)))),,$(word 2,$(subst :, ,$(d)))))

.PHONY: bench bench-deps bench-ctor bench-otlp
# The headline first: pinned CPU per cycle with the collector counted (bench/pinned.py;
# PINNED_ARGS='--rounds 9 --only fork' narrows it), then the wall-clock tables.
PINNED_ARGS ?=
bench: $(B)/libjoin.so $(B)/joinrun $(BENCH_BIN) bench-ctor | bench-deps
	@python3 bench/pinned.py --build $(B) $(PINNED_ARGS)
	@python3 bench/run.py --build $(B) $(BENCH_ARGS)
	@python3 bench/otlp.py --build $(B) $(OTLP_ARGS)

# The OpenTelemetry export: spans/s and memory replaying 100,000 processes, the CPU
# cost of --otlp on a real build, the exec path with --propagate (bench/otlp.py).
OTLP_ARGS ?=
bench-otlp: $(B)/libjoin.so $(B)/joinrun
	@python3 bench/otlp.py --build $(B) $(OTLP_ARGS)

# A second libjoin whose constructor writes its own duration to stderr
# (-DJOIN_CTOR_CLOCK, preload/ctor.c); the release library has none of it.
bench-ctor:
	@$(MAKE) -s --no-print-directory B=$(BENCH_B)/ctor SAN=-DJOIN_CTOR_CLOCK \
	  $(BENCH_B)/ctor/libjoin.so

# Optional tools: installed when we are root with apt, else the command is printed
# and the benchmark runs without them (no chart, no strace column, no callgrind).
bench-deps:
	@miss="$(strip $(BENCH_MISSING))"; \
	if [ -n "$$miss" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing: $$miss"; mkdir -p $(BENCH_B); \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$miss) \
	      >$(BENCH_B)/deps.log 2>&1 || echo "could not install; run:  apt-get install -y $$miss"; \
	  else echo "for the whole benchmark run:  sudo apt-get install -y $$miss"; fi; \
	fi

# The workloads are plain programs, built without -Werror so a newer compiler
# cannot stop the benchmark.
$(BENCH_B)/work: bench/work.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -o $@ $<

$(BENCH_B)/empty.so: bench/empty.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -shared -fPIC -o $@ $<

$(BENCH_B)/thread.so: bench/thread.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -shared -fPIC -o $@ $< -lpthread

$(BENCH_B)/micro: bench/micro.c $(B)/libshim.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -fvisibility=default -o $@ $< $(B)/libshim.a $(LDLIBS)

# The verdict's error rates on this machine (bench/verdict.sh): false alarms over
# interleaved A/A comparisons, and the smallest slowdown found at 10 runs a side.
.PHONY: bench-verdict
bench-verdict: $(B)/libjoin.so $(B)/joinrun
	@bench/verdict.sh $(B)
