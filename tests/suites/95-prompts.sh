#!/usr/bin/env bash
# 95-prompts: prompt calls are durable checkpoints.  A fake OpenAI-compatible
# server on 127.0.0.1 (runtime-py/tests/fake_llm.py) counts its requests; a
# script compiled by build/currantc calls prompt (an inline template and a
# .prompt file), is SIGKILLed right after the first prompt's checkpoint is
# committed (CURRANT_FAULT=child:0), and resumed: the output equals an
# uninterrupted run's and the server saw each prompt exactly once.  Replay
# never calls the server; the opt-in cache (CURRANT_PROMPT_CACHE) answers a
# fresh run without it.  No network beyond loopback.
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
need_currant build/currantc

start_fake_llm

SRC="$TMP/src"
mkdir -p "$SRC"
cat >"$SRC/app.py" <<'EOF'
import currant


def main():
    summary = currant.prompt("Summarise {n} orders", n=3)
    print("summary:", summary, flush=True)
    note = currant.prompt("note.prompt", topic="refunds")
    print("note:", note.strip(), flush=True)
    print("id:", len(currant.uuid()), flush=True)


main()
EOF
cat >"$SRC/app.js" <<'EOF'
const currant = require("currant");

async function main() {
  const summary = await currant.prompt("Summarise {n} orders", { n: 3 });
  console.log("summary:", summary);
  const note = await currant.prompt("note.prompt", { topic: "refunds" });
  console.log("note:", note.trim());
  console.log("id:", currant.uuid().length);
}
main();
EOF
printf -- '---\nmodel: note-model\ntemperature: 0\n---\nWrite a note about {topic}.\n' >"$SRC/note.prompt"
if ! "$CURRANTC" build -q -o "$TMP/out" "$SRC" >"$TMP/cc.err" 2>&1; then
  bad prompts-compile "currantc build failed"
  sed 's/^/    /' "$TMP/cc.err" | head -10
  finish
  exit 1
fi
grep -q '_currant.call(0, currant.prompt' "$TMP/out/app.py" && ok py-prompt-is-a-site ||
  bad py-prompt-is-a-site "currant.prompt(...) was not rewritten into a checkpoint"

expected='summary: [fake-model] Summarise 3 orders
note: [note-model] Write a note about refunds.
id: 36'

for ext in py js; do
  script="$TMP/out/app.$ext"
  fresh "durable-$ext"
  cp "$SRC/note.prompt" .   # .prompt files resolve beside the module, then in the cwd

  # uninterrupted: two prompts, two requests
  h0=$(hits)
  got="$("$CURRANT" run --id "base-$ext" "$script" 2>"$TMP/err")" || true
  if [ "$got" = "$expected" ] && [ $(($(hits) - h0)) = 2 ]; then ok "$ext-run"; else
    bad "$ext-run" "output or request count wrong ($(($(hits) - h0)) requests)"
    printf '%s\n' "$got" | head -5 | sed 's/^/    /'; tail -5 "$TMP/err" | sed 's/^/    /'
  fi

  # killed right after the first prompt's checkpoint, then resumed
  h0=$(hits)
  rc=0
  (CURRANT_FAULT="child:0" "$CURRANT" run --id "crash-$ext" "$script" >"$TMP/out.txt" 2>"$TMP/err"; exit $?) 2>/dev/null || rc=$?
  if [ "$rc" = 137 ] && [ $(($(hits) - h0)) = 1 ]; then ok "$ext-killed-after-prompt"; else
    bad "$ext-killed-after-prompt" "exit $rc (want 137), $(($(hits) - h0)) requests (want 1)"
    tail -5 "$TMP/err" | sed 's/^/    /'
  fi
  rc=0
  resume_until_end "crash-$ext" >>"$TMP/out.txt" || rc=$?
  if [ "$rc" = 0 ] && [ "$(cat "$TMP/out.txt")" = "$expected" ]; then ok "$ext-resumed-output"; else
    bad "$ext-resumed-output" "exit $rc; output:"
    sed 's/^/    /' "$TMP/out.txt" | head -5; tail -5 "$TMP/resume.err" 2>/dev/null | sed 's/^/    /'
  fi
  n=$(($(hits) - h0))
  if [ "$n" = 2 ]; then ok "$ext-each-prompt-hit-once"; else
    bad "$ext-each-prompt-hit-once" "$n requests for a killed+resumed run with 2 prompts (want 2: the recorded one is not asked again)"
  fi

  # replay never calls the model
  h0=$(hits)
  if "$CURRANT" replay "base-$ext" >"$TMP/replay.txt" 2>"$TMP/err" && [ "$(hits)" = "$h0" ]; then
    ok "$ext-replay-no-request"
  else
    bad "$ext-replay-no-request" "replay failed or called the server ($(($(hits) - h0)) requests)"
    tail -5 "$TMP/err" | sed 's/^/    /'
  fi

  # the opt-in cache: a second fresh run asks nothing
  export CURRANT_PROMPT_CACHE="$TMP/cache-$ext"
  "$CURRANT" run --id "cache1-$ext" "$script" >/dev/null 2>&1 || true
  h0=$(hits)
  got="$("$CURRANT" run --id "cache2-$ext" "$script" 2>"$TMP/err")" || true
  if [ "$got" = "$expected" ] && [ "$(hits)" = "$h0" ]; then ok "$ext-cache-hit"; else
    bad "$ext-cache-hit" "$(($(hits) - h0)) requests with a warm cache (want 0)"
  fi
  unset CURRANT_PROMPT_CACHE

  # nothing configured: a clear error naming the variables, journaled
  got="$(env -u CURRANT_LLM_BASE_URL -u CURRANT_LLM_MODEL "$CURRANT" run --id "noconf-$ext" "$script" 2>&1)" || true
  if printf '%s' "$got" | grep -q 'PromptConfigError' && printf '%s' "$got" | grep -q CURRANT_LLM_BASE_URL; then
    ok "$ext-unconfigured-error"
  else
    bad "$ext-unconfigured-error" "no PromptConfigError naming CURRANT_LLM_BASE_URL"
    printf '%s\n' "$got" | tail -5 | sed 's/^/    /'
  fi
done
cd "$ROOT"
finish
