#!/usr/bin/env bash
# 98-llm-sdks: calls of the OpenAI and Anthropic SDKs, in programs that use
# no currant API, are checkpoints (the catalogue's "llm" entries): compiled
# by build/currantc, run under currant against the fake server
# (runtime-py/tests/fake_llm.py), then killed at every checkpoint in turn
# (child killed after and before the commit, the coordinator killed) and
# resumed.  Each case must print what the uninterrupted run printed and send
# the server the same number of requests: none twice.  A replay sends none.
# JavaScript uses the real openai and @anthropic-ai/sdk packages, pinned in
# tests/llm/package-lock.json and installed by `npm ci` (make target
# build/test-llm/node_modules/.installed); Python the stand-ins of
# tests/llm/sdk-stub (no PyPI here: its README.md).
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
need_currant build/currantc build/test-llm/node_modules/.installed

start_fake_llm
export LLM_ROOT="${CURRANT_LLM_BASE_URL%/v1}"
export PYTHONPATH="$ROOT/tests/llm/sdk-stub${PYTHONPATH:+:$PYTHONPATH}"

SRC="$TMP/src"
mkdir -p "$SRC"
cp "$ROOT"/tests/llm/app/sdk_app.* "$SRC/"
ln -s "$ROOT/build/test-llm/node_modules" "$SRC/node_modules"
if ! "$CURRANTC" build -q -o "$TMP/build" "$SRC" >"$TMP/cc.err" 2>&1; then
  bad llm-compile "currantc build failed"
  sed 's/^/    /' "$TMP/cc.err" | head -10
  finish
  exit 1
fi
check sdk-calls-are-llm-sites python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))
sites = sorted((n["file"], n["callee"]) for n in g["nodes"] if n["kind"] == "site" and n["category"] == "llm")
want = {"sdk_app.js": ["claude.messages.create", "openai.chat.completions.create", "openai.chat.completions.create",
                       "openai.embeddings.create"],
        "sdk_app.py": ["aio.chat.completions.create", "aio.chat.completions.create", "claude.messages.create",
                       "client.chat.completions.create", "client.chat.completions.create", "client.embeddings.create"]}
got = {f: [c for g, c in sites if g == f] for f in want}
assert got == want, got' "$TMP/build/currant.graph.json"

# The requests the server got since prep: the side effect that must happen once.
prep() { h0=$(hits); }
sent() { echo "requests: $(($(hits) - h0))"; }

for ext in js py; do
  fresh "sdk-$ext"
  script="$TMP/build/sdk_app.$ext"
  # uninterrupted, to see what the program does at all
  h0=$(hits)
  expect "$ext-sdk-run" 0 "$CURRANT" run --id "whole-$ext" "$script"
  cp "$TMP/last" "$TMP/whole-$ext.out"
  n=$(($(hits) - h0))
  want=$([ "$ext" = js ] && echo 4 || echo 6)
  if [ "$n" = "$want" ] && grep -q '^stream: \[gpt-test\] stream it$' "$TMP/whole-$ext.out" &&
    grep -q '^anthropic: \[claude-test\] \[gpt-test\] plan the day' "$TMP/whole-$ext.out" &&
    { [ "$ext" = js ] || grep -q '^async stream: \[gpt-test\] async stream$' "$TMP/whole-$ext.out"; }; then
    ok "$ext-sdk-answers"
  else
    bad "$ext-sdk-answers" "$n requests (want $want); output: $(tr '\n' '|' <"$TMP/whole-$ext.out")"
  fi
  # a replay answers every call from the journal
  h0=$(hits)
  expect "$ext-sdk-replay" 0 "$CURRANT" replay "whole-$ext"
  if [ "$(hits)" = "$h0" ] && grep -v '^currant:' "$TMP/last" | cmp -s - "$TMP/whole-$ext.out"; then ok "$ext-sdk-replay-sends-nothing"; else
    bad "$ext-sdk-replay-sends-nothing" "$(($(hits) - h0)) requests; output: $(tr '\n' '|' <"$TMP/last")"
  fi
  crash_matrix "llm-$ext" prep sent "$script"
done
cd "$ROOT"
finish
