# SPDX-License-Identifier: MIT
# Reliability: fuzzing, sanitizers, valgrind, a fault-injection build (issue 7).
#
#   make fuzz [FUZZ_SECONDS=20]  each libFuzzer target of tests/fuzz for that long
#   make asan | ubsan            unit tests and the -ljoin test programs under a sanitizer
#   make tsan                    the threaded stress program and library under TSan
#   make valgrind                unit tests and test programs under memcheck
#   make transparency            real programs' test suites, native against preloaded
#   make reliability             all of the above with a short fuzz (CI; under 20 min)
#
# The log's own faults (tests/integration/logfaults.sh: file-size limit, full and
# read-only file systems, a log removed or made a symbolic link mid-run, a FIFO with
# no reader, /dev/full, no descriptor left, stderr reused) run in make test and,
# with the UBSan library, here.
#
# Each sanitizer builds into a directory of its own (B=build/asan, ...), so the
# release build in build/ is never touched.  The fault build (build/fault) adds
# shim/fault.c's hooks (-DJOIN_FAULT); the release library has none of it.

.PHONY: fuzz fuzz-build asan ubsan tsan valgrind transparency reliability fault-build rel-progs rel-sanitizers

FUZZ_SECONDS ?= 20
FUZZ_CC      ?= clang
FUZZ_B       := $(B)/fuzz
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BIN     := $(FUZZ_NAMES:%=$(FUZZ_B)/fuzz_%)
# The text code and the ring reader: pure functions of their input (the ring reader makes
# a system call only for a slot it has waited on, which the fuzz target never does).
FUZZ_SHIM    := shim/text/tokenize.c shim/text/parse.c shim/text/await.c shim/text/quote.c shim/text/exitstr.c \
                shim/base/num.c shim/base/line.c shim/text/jsonstr.c shim/base/config.c shim/ring/ring.c shim/text/event.c shim/text/jsonl.c \
                shim/base/proc.c
FUZZ_FLAGS   := -std=gnu11 -g -O1 -Iinclude -Ishim -D_GNU_SOURCE \
                -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined

$(FUZZ_B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_SHIM) $(wildcard shim/*.h shim/*/*.h include/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SHIM)

fuzz-build: $(FUZZ_BIN)

# New inputs go to $(FUZZ_B)/corpus/NAME; the seeds in tests/fuzz/corpus/NAME stay as
# committed.  A crash or a broken property stops the run with the input saved.
fuzz: $(FUZZ_BIN)
	@set -e; for n in $(FUZZ_NAMES); do \
	  mkdir -p $(FUZZ_B)/corpus/$$n $(FUZZ_B)/crash; \
	  dict=; [ -f tests/fuzz/$$n.dict ] && dict=-dict=tests/fuzz/$$n.dict; \
	  $(FUZZ_B)/fuzz_$$n -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_B)/crash/$$n- $$dict \
	    $(FUZZ_B)/corpus/$$n tests/fuzz/corpus/$$n >$(FUZZ_B)/$$n.out 2>&1 \
	    || { tail -30 $(FUZZ_B)/$$n.out; echo "fuzz $$n: FAILED"; exit 1; }; \
	  echo "fuzz $$n: $$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_B)/$$n.out) runs" \
	       "in $(FUZZ_SECONDS) s, corpus $$(ls $(FUZZ_B)/corpus/$$n | wc -l), no failure"; \
	done

# Test programs built without libjoin, for the native side of a comparison.
REL_NATIVE_SRC := $(sort $(wildcard tests/progs/rel_*.c) tests/progs/stress.c)
REL_NATIVE     := $(REL_NATIVE_SRC:tests/progs/%.c=$(B)/tests/native/%)
$(B)/tests/native/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	$(CC) -Iinclude -D_GNU_SOURCE -std=gnu11 -O1 -g -Wall -Wextra $(WERROR) $(SAN) -o $@ $< -lpthread
rel-progs: $(REL_NATIVE) $(REL_NATIVE_SRC:tests/progs/%.c=$(B)/tests/progs/%)
TEST_EXTRA += $(REL_NATIVE) fault-build

# The fault-injection library: JOIN_FAULT_ARENA, JOIN_FAULT_STATS (shim/fault.c).
fault-build:
	@$(MAKE) -s --no-print-directory B=$(B)/fault SAN=-DJOIN_FAULT $(B)/fault/libjoin.so

# Sanitized builds run the unit tests and the test programs linked with -ljoin.  ASan
# wants its runtime loaded first, which a library preloaded into other programs
# cannot give, so under ASan the scripts run their -ljoin programs only
# (REL_SAN=asan); the UBSan library is preloaded everywhere the scripts preload.
define rel_san
	@$(MAKE) -s --no-print-directory B=$(B)/$(1) SAN="$(2)" OPT=-O1 test-unit rel-progs $(B)/$(1)/joinrun \
	  $(B)/$(1)/tests/progs/plain_logfault $(B)/$(1)/tests/progs/plain_forks
	@for t in $(4); do \
	  out=$$(B=$(B)/$(1) REL_FAULT_LIB=$(abspath $(B)/fault/libjoin.so) $(3) bash $$t 2>&1); rc=$$?; \
	  echo "$$out" | grep -E '^(not )?ok|^# ' ; \
	  if [ $$rc != 0 ] || echo "$$out" | grep -q '^not ok'; then echo "$$out" | tail -20; echo "$(1): $$t FAILED"; exit 1; fi; \
	done
	@echo "$(1): clean"
endef

asan: fault-build
	$(call rel_san,asan,-fsanitize=address -fno-omit-frame-pointer,REL_SAN=asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=1,tests/integration/stress.sh tests/integration/signals.sh)
ubsan: fault-build
	$(call rel_san,ubsan,-fsanitize=undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer,UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1,tests/integration/stress.sh tests/integration/signals.sh tests/integration/faults.sh tests/integration/config.sh tests/integration/logfaults.sh)

# TSan's start installs its fatal-signal handlers through sigaction, which is libjoin's
# (next after TSan's own) and instrumented code before TSan is ready: so TSan handles
# no fatal signals here (handle_*=0), and the stress program runs with its handler.
# Then again in watch mode, with the tree's collector beside the program (its
# descriptors are its own; the suppressions of descriptor reports stay for the raw
# system calls TSan cannot know); races on memory are not suppressed.
TSAN_RUN := TSAN_OPTIONS="halt_on_error=1 exitcode=66 handle_segv=0 handle_sigbus=0 \
            handle_abort=0 handle_sigill=0 handle_sigfpe=0 suppressions=$(abspath $(B)/tsan/fd.supp) \
            log_path=$(abspath $(B)/tsan/report)"
tsan:
	@$(MAKE) -s --no-print-directory B=$(B)/tsan SAN=-fsanitize=thread OPT=-O1 \
	  $(B)/tsan/tests/progs/stress
	@printf 'race:tsan_interceptors_posix.cpp\n' >$(B)/tsan/fd.supp
	@for w in 0 1; do rm -f $(B)/tsan/stress.log $(B)/tsan/report*; \
	  $(TSAN_RUN) JOIN_WATCH=$$w JOIN_LOG=$(abspath $(B)/tsan/stress.log) timeout 600 \
	    $(B)/tsan/tests/progs/stress 4 1000 500 >$(B)/tsan/stress.out; rc=$$?; \
	  cat $(B)/tsan/report* 2>/dev/null | head -60; cat $(B)/tsan/stress.out; \
	  [ $$rc = 0 ] || { echo "tsan: stress exited $$rc (JOIN_WATCH=$$w)"; exit 1; }; \
	  r=$$(sed -n 's/.*reaped=\([0-9]*\).*/\1/p' $(B)/tsan/stress.out); \
	  n=$$(grep -Ec '^[0-9]+ [0-9]+ [0-9]+ [0-9]+ ' $(B)/tsan/stress.log); \
	  [ "$$r" = "$$n" ] || { echo "tsan: $$n records for $$r reaped children"; exit 1; }; \
	  ! grep '^# libjoin' $(B)/tsan/stress.log || { echo "tsan: libjoin warned (JOIN_WATCH=$$w)"; exit 1; }; \
	  echo "tsan: clean, JOIN_WATCH=$$w, $$n records for $$r reaped children"; \
	done

# memcheck: the unit tests, the -ljoin test programs (single-threaded ones: valgrind
# itself hangs forking from several threads, native or not; TSan covers threads),
# and shells and Python with the library preloaded (children traced).
VG := valgrind -q --error-exitcode=99 --leak-check=no
VG_PROGS := "rel_faults work 2" "rel_signals eintr" "rel_signals chld-eintr" "rel_signals ignore" \
            "rel_signals nocldwait" "rel_signals blocked" "rel_signals rearm" "rel_scale 300"
valgrind: $(UNIT_BIN) $(B)/libjoin.so rel-progs
	@for t in $(UNIT_BIN); do $(VG) $$t >$(B)/vg.out 2>&1 || { cat $(B)/vg.out; echo "valgrind: $$t"; exit 1; }; done
	@for p in $(VG_PROGS); do \
	  JOIN_LOG=$(abspath $(B)/vg.log) timeout 300 $(VG) $(B)/tests/progs/$$p >$(B)/vg.out 2>&1 \
	    || { cat $(B)/vg.out; echo "valgrind: $$p"; exit 1; }; done
	@JOIN_LOG=$(abspath $(B)/vg.log) LD_PRELOAD=$(abspath $(B)/libjoin.so) $(VG) --trace-children=yes \
	  bash -c 'sh -c "exit 3"; (exit 4); echo x | cat; sleep 0.01 & wait; dash -c "true | true"' \
	  >$(B)/vg.out 2>&1 || { cat $(B)/vg.out; echo "valgrind: shells"; exit 1; }
	@JOIN_LOG=$(abspath $(B)/vg.log) JOIN_FORMAT=jsonl LD_PRELOAD=$(abspath $(B)/libjoin.so) $(VG) \
	  --trace-children=yes $$(python3 -c 'import sys; print(sys.executable)') -c \
	  'import subprocess as s, os; s.run(["true"]); s.run("exit 5", shell=True); os.system("exit 2")' \
	  >$(B)/vg.out 2>&1 || { cat $(B)/vg.out; echo "valgrind: python"; exit 1; }
	@echo "valgrind: clean ($(words $(UNIT_BIN)) unit test programs, 8 test program runs, shells, python)"

# Twice: the second time every preloaded run is in watch mode (JOIN_WATCH=1 reaches
# only the preloaded library; the native runs have none).
transparency: $(B)/libjoin.so
	@for w in 0 1; do echo "# transparency, JOIN_WATCH=$$w"; \
	  out=$$(JOIN_WATCH=$$w B=$(B) REL_TRANSPARENCY=full bash tests/integration/transparency.sh 2>&1); \
	  echo "$$out"; ! echo "$$out" | grep -q '^not ok' || exit 1; done

# ASan and UBSan build and run side by side (-j2: two cores; their builds are apart).
rel-sanitizers: fault-build
	@$(MAKE) -j2 -Otarget --no-print-directory asan ubsan
reliability: rel-sanitizers tsan valgrind transparency
	@$(MAKE) -s --no-print-directory fuzz FUZZ_SECONDS=$(or $(REL_FUZZ_SECONDS),20)
