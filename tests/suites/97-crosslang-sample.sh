#!/usr/bin/env bash
# 97-crosslang-sample: samples/crosslang, one durable run across runtimes.
# A Python pipeline prices orders with a JavaScript function (a bridge
# checkpoint whose own environment and clock reads are journaled under it),
# writes a quote file per order and asks a model (the fake OpenAI-compatible
# server on 127.0.0.1) to summarise.  The plain script, the compiled one
# without a coordinator and `currant run` print the same; a run killed at
# every checkpoint (and a sample of the other faults) and resumed prints what
# an uninterrupted run prints and leaves the same quote files.
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
need_currant
need_compiler "$CURRANTC" crosslang-compiler
start_fake_llm
unset PYTHONPATH NODE_PATH

SAMPLE="$ROOT/samples/crosslang"
OUT="$TMP/build"
if "$CURRANTC" build -q -o "$OUT" "$SAMPLE" >"$TMP/cc.err" 2>&1; then ok crosslang-build; else
  bad crosslang-build "currantc build failed"
  sed 's/^/    /' "$TMP/cc.err" | head -10
  finish
  exit 1
fi
if grep -q 'quote = _currant.bridge("js", "pricing.js", \[\]).quote' "$OUT/pipeline.py"; then
  ok crosslang-import-rewritten
else
  bad crosslang-import-rewritten "$(grep -n currant.js "$OUT/pipeline.py" || true)"
fi
check crosslang-manifest-bridge python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))
sites = [n for n in g["nodes"] if n.get("boundary") == "bridge"]
assert sites and sites[0]["target"] == "function:pricing.js:quote", sites
assert any(n["kind"] == "prompt" for n in g["nodes"]), "no prompt node"
assert any(e["kind"] == "cross_lang" for e in g["edges"]), "no cross_lang edge"' "$OUT/currant.graph.json"

# plain, compiled without a coordinator, durable: one output
data="$TMP/data"
runs() { # label CMD... -> $TMP/label.out
  local label="$1"
  shift
  rm -rf "$data" && mkdir -p "$data"
  "$@" "$data" >"$TMP/$label.out" 2>"$TMP/$label.err"
}
runs plain env PYTHONPATH="$ROOT/runtime-py" python3 "$SAMPLE/pipeline.py"
has crosslang-plain-summary '^summary: \[fake-model\] Summarise 4 priced orders' "$TMP/plain.out"
runs passthrough env PYTHONPATH="$ROOT/runtime-py" python3 "$OUT/pipeline.py"
check crosslang-passthrough-same cmp "$TMP/plain.out" "$TMP/passthrough.out"
fresh durable
runs durable "$CURRANT" run --id whole "$OUT/pipeline.py"
check crosslang-durable-same cmp "$TMP/plain.out" "$TMP/durable.out"
expect crosslang-show 0 "$CURRANT" show whole
has crosslang-show-nested 'pricing\.js:[0-9]+ \(quote: Date\.now\)' "$TMP/last"
has crosslang-show-bridge 'pipeline\.py:[0-9]+ \(price_order: quote\)' "$TMP/last"
h0=$(hits)
expect crosslang-replay 0 "$CURRANT" replay whole
if [ "$(hits)" = "$h0" ]; then ok crosslang-replay-no-model-call; else
  bad crosslang-replay-no-model-call "replay asked the model $(($(hits) - h0)) times"
fi

# killed at every checkpoint, resumed: same output, same quote files
prep() { rm -rf "$data" && mkdir -p "$data"; }
quotes() { # the quote files, less the clock reading each carries
  python3 -c '
import json, sys
for p in sorted(sys.argv[1:]):
    q = json.load(open(p))
    q.pop("quotedAt")
    print(p.rsplit("/", 1)[-1], json.dumps(q, sort_keys=True))' "$data"/*.json
}
CRASH_STRIDE=5 crash_matrix crosslang prep quotes "$OUT/pipeline.py" "$data"
cd "$ROOT"
finish
