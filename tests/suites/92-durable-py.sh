#!/usr/bin/env bash
# 92-durable-py: `currant` end to end with Python: run, runs, show, inspect,
# replay, fork, divergence, signal/wait_event, durable sleep through serve,
# cancel, retries journaled attempt by attempt, values and errors, bad
# channel input, a corrupt journal, concurrent runs on one journal, and the
# Python sample compiled by currantc (durable output = plain output).
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
LANG_DIR=py
EXT=py
source "$ROOT/coordinator/tests/e2e/common-checks.sh"
finish
