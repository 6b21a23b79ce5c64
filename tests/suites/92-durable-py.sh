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

# --- a file written after the last checkpoint, then a crash -----------------
# The replayed open() rewrites what the dead run wrote after its last
# checkpoint instead of appending it a second time.
export FLAG="$TMP/writer.flag"
rm -f "$FLAG" "$TMP/w.json" "$TMP/w.json.log"
(cur run --id writer "$APP/writer.py" "$TMP/w.json" >/dev/null 2>&1; exit $?) 2>/dev/null || true
status_is py-writer-crashed writer crashed
expect py-writer-resume 0 cur resume writer
if python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == {"n": list(range(20))}' "$TMP/w.json" 2>/dev/null; then
  ok py-writer-file-whole
else
  bad py-writer-file-whole "after resume: $(head -c 200 "$TMP/w.json")"
fi
if [ "$(cat "$TMP/w.json.log")" = once ]; then ok py-writer-append-once; else bad py-writer-append-once "log: $(tr '\n' , <"$TMP/w.json.log")"; fi
finish
