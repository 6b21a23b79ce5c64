# coordinator/bench/peers/peers.mk — what coordinator/bench/peers/peers.py
# needs for `make bench` (never `make test`).  Included by bench/build.mk.
# Installs the durable-execution peers at the exact versions of
# coordinator/bench/peers/package-lock.json (integrity-checked by npm ci;
# install scripts off: the Restate server binary comes as a plain file in its
# per-platform optional dependency) into build/bench-peers/node_modules, and
# Debian's postgresql when no /usr/lib/postgresql/*/bin/initdb exists
# (bench_apt, from bench/build.mk).
# Nothing fetched is committed.

PEERS_BUILD := $(BUILD)/bench-peers

$(PEERS_BUILD)/node_modules/.installed: coordinator/bench/peers/package.json coordinator/bench/peers/package-lock.json
	@mkdir -p $(PEERS_BUILD)
	cp coordinator/bench/peers/package.json coordinator/bench/peers/package-lock.json $(PEERS_BUILD)/
	cd $(PEERS_BUILD) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

$(PEERS_BUILD)/.postgresql:
	@mkdir -p $(@D)
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "bench: installing Debian's postgresql (for the DBOS peer)"; \
	  $(call bench_apt,postgresql); \
	fi
	@touch $@

.PHONY: bench-peers
bench-peers: $(PEERS_BUILD)/node_modules/.installed $(PEERS_BUILD)/.postgresql

bench: bench-peers
