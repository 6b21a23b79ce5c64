# tests/build.mk — test binaries; included by the top-level Makefile.
#
#   build/unit-tests          C unit tests (tests/unit/*.c) under ASan+UBSan,
#                             linked with every compiler object but main.c
#   build/fuzz/fuzz-replay    the libFuzzer harness with a plain main that
#                             runs given files/dirs once (gcc, ASan+UBSan):
#                             built and run over the seeds by `make test`
#   build/fuzz/fuzz-currantc  the real libFuzzer binary (clang)
#   make fuzz                 fuzzes for FUZZ_SECONDS (default 60) from a
#                             seed corpus made from the goldens and samples
#
# The Makefile's `test` target runs tests/run_all.sh; the suites build what
# they need from here themselves (a build failure is a counted failure).

UNIT_SRCS      := $(sort $(wildcard tests/unit/*.c))
ASAN_LIB_OBJS  := $(filter-out $(BUILD)/asan/obj/$(COMPILER_MAIN:.c=.o),$(ASAN_OBJS))
TEST_CFLAGS    := $(ASAN_FLAGS) -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(INC) -Itests/unit \
                  -DCURRANT_SRCDIR='"$(CURDIR)"'

$(BUILD)/unit-tests: $(UNIT_SRCS) tests/unit/unit.h $(HEADERS) $(ASAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -o $@ $(UNIT_SRCS) $(ASAN_LIB_OBJS) $(LDLIBS)

FUZZ_HARNESS := tests/fuzz/fuzz_currantc.c
$(BUILD)/fuzz/fuzz-replay: $(FUZZ_HARNESS) tests/fuzz/replay_main.c $(HEADERS) $(ASAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(TEST_CFLAGS) -o $@ $(FUZZ_HARNESS) tests/fuzz/replay_main.c $(ASAN_LIB_OBJS) $(LDLIBS)

# ---- libFuzzer (clang) -----------------------------------------------------
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_OBJS    := $(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(COMPILER_LIB)) \
                $(patsubst $(BUILD)/obj/%,$(FUZZ_DIR)/vobj/%,$(VENDOR_OBJS))

# clang with libFuzzer, from Debian's packages when missing.
$(FUZZ_DIR)/.clang:
	@mkdir -p $(@D)
	@printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' >$(@D)/probe.c
	@if ! $(FUZZ_CC) -fsanitize=fuzzer $(@D)/probe.c -o $(@D)/probe 2>/dev/null; then \
	  echo "fuzz: installing clang and libclang-rt-dev (libFuzzer)"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq clang libclang-rt-dev >/dev/null; \
	  $(FUZZ_CC) -fsanitize=fuzzer $(@D)/probe.c -o $(@D)/probe; \
	fi
	@touch $@

$(FUZZ_DIR)/obj/%.o: %.c $(HEADERS) $(BUILD)/.deps $(VENDOR)/.pins $(FUZZ_DIR)/.clang
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra $(INC) \
	  -DCURRANT_DATADIR='"$(DATADIR)"' -c $< -o $@
$(FUZZ_DIR)/vobj/ts_lib.o: $(VENDOR)/.pins $(FUZZ_DIR)/.clang
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -std=c11 -D_GNU_SOURCE -w -I$(TSLIB)/include -I$(TSLIB)/src \
	  -c $(TSLIB)/src/lib.c -o $@
$(FUZZ_DIR)/vobj/py_%.o: $(VENDOR)/.pins $(FUZZ_DIR)/.clang
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -std=c11 -w -I$(PYGRAM) -c $(PYGRAM)/$*.c -o $@
$(FUZZ_DIR)/vobj/js_%.o: $(VENDOR)/.pins $(FUZZ_DIR)/.clang
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -std=c11 -w -I$(JSGRAM) -c $(JSGRAM)/$*.c -o $@

$(FUZZ_DIR)/fuzz-currantc: $(FUZZ_HARNESS) $(HEADERS) $(FUZZ_OBJS)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra $(INC) \
	  -o $@ $(FUZZ_HARNESS) $(FUZZ_OBJS) $(LDLIBS)

fuzz: $(FUZZ_DIR)/fuzz-currantc
	@tests/fuzz/make_seeds.sh $(FUZZ_DIR)/seeds
	@mkdir -p $(FUZZ_DIR)/corpus $(FUZZ_DIR)/crashes
	$(FUZZ_DIR)/fuzz-currantc -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=4096 \
	  -max_len=65536 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/crashes/ \
	  $(FUZZ_DIR)/corpus $(FUZZ_DIR)/seeds

# ---- the npm client libraries of tests/suites/98-client-libraries.sh --
# openai, @anthropic-ai/sdk and axios at the exact versions of
# tests/clients/package-lock.json (integrity-checked by npm ci); tests only.
TEST_CLIENTS := $(BUILD)/test-clients
$(TEST_CLIENTS)/node_modules/.installed: tests/clients/package.json tests/clients/package-lock.json
	@mkdir -p $(TEST_CLIENTS)
	cp tests/clients/package.json tests/clients/package-lock.json $(TEST_CLIENTS)/
	cd $(TEST_CLIENTS) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# ---- the Python client libraries of the same suite (and the codec's unit
# tests): Debian's python3-httpx, made importable by the python3 on PATH
# (tests/clients/debian-python.sh); tests only.
$(TEST_CLIENTS)/py/.installed: tests/clients/debian-python.sh tests/build.mk
	@tests/clients/debian-python.sh $(TEST_CLIENTS)/py httpx anyio
	@touch $@
