#!/usr/bin/env bash
# 96-bridge: calls across runtimes end to end (docs/BRIDGE.md).  The
# fixtures of coordinator/tests/e2e/bridge are compiled by build/currantc
# and run by build/currant: Python calling JavaScript (values, errors, an
# async function, a call back into Python, a re-entrant call refused) and
# JavaScript (ESM) calling Python; the nested boundaries in the journal and
# in `currant show`; replay without side effects; every checkpoint killed
# and resumed with side effects exactly once; a worker that dies mid-call;
# pass-through runs without the coordinator, compiled and plain.
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
need_currant
need_compiler "$CURRANTC" currantc
unset PYTHONPATH NODE_PATH
FIX="$E2E/bridge"
OUT="$TMP/compiled"
export SIDE="$TMP/side.txt" MARK="$TMP/mark" CHAOS_JS="$FIX/chaos/chaos.js" CHAOS_DIR="$FIX/chaos"
side_reset() { rm -f "$SIDE"; }
side_show() { sort "$SIDE" 2>/dev/null || true; }
side_is() {
  local got
  got="$(side_show | tr '\n' ,)"
  if [ "$got" = "$2" ]; then ok "$1"; else bad "$1" "side effects '$got', wanted '$2'"; fi
}
# same NAME FILE1 FILE2: one test, the files are equal.
same() {
  if cmp -s "$2" "$3"; then ok "$1"; else
    bad "$1" "$2 and $3 differ"
    { diff "$2" "$3" || true; } | head -10 | sed 's/^/    /'
  fi
}
cur() { "$CURRANT" "$@"; }
# has_each FILE NAME PATTERN [NAME PATTERN]...: `has` for each pair.
has_each() {
  local file="$1"
  shift
  while [ $# -ge 2 ]; do
    has "$1" "$2" "$file"
    shift 2
  done
}
# run_fixture LANG RUN SCRIPT: a durable run from scratch, output in $TMP/LANG.out.
run_fixture() {
  side_reset
  expect "$1-run" 0 cur run --id "$2" "$3"
  cp "$TMP/last" "$TMP/$1.out"
}
# replay_and_passthrough LANG RUN SIDE ENV... CMD...: `currant replay RUN`
# matches and performs nothing; then the compiled script run without the
# coordinator prints what the durable run printed, with the same effects.
replay_and_passthrough() {
  local lang="$1" run="$2" want="$3"
  shift 3
  expect "$lang-replay" 0 cur replay "$run"
  has "$lang-replay-matched" "replay of $run matched the journal" "$TMP/last"
  side_is "$lang-replay-no-side-effects" "$want"
  side_reset
  expect "$lang-passthrough" 0 env "$@"
  same "$lang-passthrough-output" "$TMP/$lang.out" "$TMP/last"
  side_is "$lang-passthrough-side-effects" "$want"
}

for lang in py js; do
  expect "$lang-compile" 0 "$CURRANTC" build -q "$FIX/$lang" -o "$OUT/$lang"
  has "$lang-compile-bridges" '_currant\.bridge\("(js|py)", "(pricing\.js|model\.py)"' \
    "$OUT/$lang/$([ $lang = py ] && echo main.py || echo main.mjs)"
done

# --- Python calling JavaScript ----------------------------------------------
fresh py
run_fixture py pymain "$OUT/py/main.py"
has_each "$TMP/py.out" py-value '^quote 6$' py-error-type-and-message '^error TypeError bad boom True$' \
  py-async '^later 6$' py-js-py '^roundtrip 9$' py-reentrant-refused '^reenter BridgeError True$' \
  py-values "^values \[\[1, 2\], b'xy', \{1: 'a', 'k': \[None, True\]\}, 1180591620717411303424, 1\.5\]$"
side_is py-side-effects-once "js-quote 3,py-double 4,py-end,py-start,"
expect py-show 0 cur show pymain
has_each "$TMP/last" py-show-bridge-row 'main\.py:19 \(<module>: quote\) +ok' \
  py-show-nested-row '^ +[0-9]+ +3\.1 +pricing\.js:6 \(quote: fs\.appendFileSync\) +ok' \
  py-show-two-deep '^ +[0-9]+ +7\.0\.2 +back\.py:9 \(double: f\.write\) +ok' \
  py-show-error-row 'main\.py:21 \(<module>: fail\) +error'
expect py-show-json-kinds 0 sh -c "'$CURRANT' show pymain --json | python3 -c '
import json, sys
ck = {c[\"key\"]: c for c in json.load(sys.stdin)[\"checkpoints\"]}
assert ck[\"3\"][\"kind\"] == \"bridge\" and ck[\"3\"][\"file\"] == \"main.py\", ck[\"3\"]
assert ck[\"5\"][\"kind\"] == \"bridge+await\", ck[\"5\"]
assert ck[\"3.1\"][\"file\"] == \"pricing.js\" and ck[\"7.0\"][\"kind\"] == \"bridge\", ck[\"7.0\"]
assert ck[\"4\"][\"status\"] == \"error\" and ck[\"4\"][\"value\"][\"type\"] == \"TypeError\", ck[\"4\"]'"
replay_and_passthrough py pymain "js-quote 3,py-double 4,py-end,py-start," \
  PYTHONPATH="$ROOT/runtime-py" python3 "$OUT/py/main.py"

# A plain (uninstrumented) script: `from currant.js.lib.calc import add`.
mkdir -p "$TMP/plain/lib"
printf 'exports.add = (a, b) => a + b;\nexports.later = async (n) => n * 10;\n' >"$TMP/plain/lib/calc.js"
printf 'import asyncio\nfrom currant.js.lib.calc import add, later\nprint(add(2, 3), asyncio.run(later(4)))\n' \
  >"$TMP/plain/main.py"
expect py-plain-script 0 env PYTHONPATH="$ROOT/runtime-py" python3 "$TMP/plain/main.py"
has py-plain-script-output '^5 40$' "$TMP/last"

# --- JavaScript calling Python ----------------------------------------------
fresh js
run_fixture js jsmain "$OUT/js/main.mjs"
has_each "$TMP/js.out" js-value '^score 8$' js-error-type-and-message '^error ValueError bad x true$' \
  js-async '^slow 6$' js-values "100000000000000000000n" js-values-map "Map\(1\) \{ 1 => 'a' \}"
side_is js-side-effects-once "js-end,js-start,py-score 4,"
expect js-show 0 cur show jsmain
has_each "$TMP/last" js-show-bridge-row 'main\.mjs:12 \(<module>: score\) +ok' \
  js-show-nested-row 'model\.py:9 \(score: f\.write\) +ok' js-show-error-row 'main\.mjs:14 \(<module>: fail\) +error'
replay_and_passthrough js jsmain "js-end,js-start,py-score 4," \
  NODE_PATH="$ROOT/runtime-js" node "$OUT/js/main.mjs"

# --- a worker dies mid-call -------------------------------------------------
fresh death
side_reset
rm -f "$MARK"
expect py-worker-death 0 cur run --id death-py "$OUT/py/crash.py"
has py-worker-restarted 'the js worker ended \(killed by signal 9\) during pricing\.js:dieOnce; restarting it' "$TMP/last"
has py-worker-call-completes '^die once 2$' "$TMP/last"
has py-worker-gives-up '^died the js worker died running pricing\.js:dieAlways \(killed by signal 9\), 4 times$' "$TMP/last"
side_is py-worker-death-side-effects-once "js-die-once 1,"
expect py-worker-death-replay 0 cur replay death-py
side_reset
rm -f "$MARK"
expect js-worker-death 0 cur run --id death-js "$OUT/js/crash.js"
has js-worker-restarted 'the py worker ended \(killed by signal 9\) during model\.py:die_once; restarting it' "$TMP/last"
has js-worker-call-completes '^die once 2$' "$TMP/last"
side_is js-worker-death-side-effects-once "py-die-once 1,"

# --- killed at every checkpoint, resumed: same output, effects once -------
fresh crash-py
CRASH_STRIDE=3 crash_matrix py-bridge side_reset side_show "$OUT/py/main.py"
fresh crash-js
CRASH_STRIDE=3 crash_matrix js-bridge side_reset side_show "$OUT/js/main.mjs"
finish
