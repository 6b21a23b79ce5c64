#!/usr/bin/env bash
# 93-durable-js: `currant` end to end with JavaScript (the checks of
# 92-durable-py.sh that apply, on the JS fixtures and the JS sample).
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
LANG_DIR=js
EXT=js
source "$ROOT/coordinator/tests/e2e/common-checks.sh"
finish
