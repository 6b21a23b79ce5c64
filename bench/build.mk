# bench/build.mk — `make bench` (not part of `make test`).  Included by the
# top Makefile.  Builds the floor tool, installs the npm baselines at the
# exact versions of bench/package-lock.json (integrity-checked by npm ci)
# into build/bench/node_modules, installs GNU time when missing, then runs
# bench/run.sh, which prints the table and rewrites docs/BENCHMARKS.md.

BENCH_BUILD := $(BUILD)/bench

# The floor: bare tree-sitter parse, linked with the same vendored objects
# as currantc and built with the same optimisation.
$(BENCH_BUILD)/parse_floor: bench/parse_floor.c $(VENDOR_OBJS)
	@mkdir -p $(@D)
	$(CC) -O2 -g -std=c11 -D_GNU_SOURCE $(WARN) -I$(TSLIB)/include -o $@ $< $(VENDOR_OBJS)

$(BENCH_BUILD)/node_modules/.installed: bench/package.json bench/package-lock.json
	@mkdir -p $(BENCH_BUILD)
	cp bench/package.json bench/package-lock.json $(BENCH_BUILD)/
	cd $(BENCH_BUILD) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

# $(call bench_apt,PACKAGE): shell commands installing a Debian package
# (sudo unless root; the package index is updated only if the first try fails).
bench_apt = sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $(1) >/dev/null || \
	  { $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $(1) >/dev/null; }

$(BENCH_BUILD)/.gnu-time:
	@mkdir -p $(@D)
	@if ! /usr/bin/time --version 2>&1 | grep -q GNU; then \
	  echo "bench: installing Debian's time (GNU time)"; \
	  $(call bench_apt,time); \
	fi
	@touch $@

# valgrind counts the instructions of the no-boundary overhead runs
# (coordinator/bench/peers/peers.py): timings on this shared machine move
# more than the 2% being measured, instruction counts do not.
$(BENCH_BUILD)/.valgrind:
	@mkdir -p $(@D)
	@if ! command -v valgrind >/dev/null; then \
	  echo "bench: installing Debian's valgrind"; \
	  $(call bench_apt,valgrind); \
	fi
	@touch $@

.PHONY: bench-tools
bench-tools: $(BENCH_BUILD)/parse_floor $(BENCH_BUILD)/node_modules/.installed $(BENCH_BUILD)/.gnu-time \
	     $(BENCH_BUILD)/.valgrind

bench: all bench-tools
	@bench/run.sh
	@echo "## coordinator: per-checkpoint cost (docs/BENCHMARKS-coordinator.md)"
	@command -v bc >/dev/null || apt-get install -y -qq bc >/dev/null
	@coordinator/bench/bench.sh

# The durable-execution peers of coordinator/bench/peers/peers.py.
-include coordinator/bench/peers/peers.mk
