#!/usr/bin/env bash
# 94-crash: exactly-once under crashes.  For each program (hand-instrumented
# fixtures in both languages, and the samples compiled by build/currantc
# when it is built) the child is SIGKILLed after each checkpoint K is
# committed, and before it is, and the coordinator is SIGKILLed after K;
# the run is resumed to its end and must print what an uninterrupted run
# prints, with every side effect (counted in files outside the journal)
# done exactly once.
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
need_currant

export SIDE="$TMP/side.txt"
side_reset() { rm -f "$SIDE"; }
side_show() { sort "$SIDE" 2>/dev/null || true; }

fresh py
crash_matrix py-main side_reset side_show "$E2E/py/app/main.py"
CRASH_MODES=child crash_matrix py-values side_reset side_show "$E2E/py/app/values.py"
CRASH_MODES=child crash_matrix py-race side_reset side_show "$E2E/py/app/race.py"
CRASH_MODES=child crash_matrix py-pending side_reset side_show "$E2E/py/app/pending.py"
fresh js
crash_matrix js-main side_reset side_show "$E2E/js/app/main.js"
CRASH_MODES=child crash_matrix js-values side_reset side_show "$E2E/js/app/values.js"
CRASH_MODES=child crash_matrix js-race side_reset side_show "$E2E/js/app/race.js"
CRASH_MODES=child crash_matrix js-callbacks side_reset side_show "$E2E/js/app/callbacks.js"
# The same with the interleavings set by the test (race_plan: the first
# execution starts the second calls in order and they end in reverse; the
# resume starts them otherwise): from K = 5 on, resumed calls find their
# key's row taken by a sibling, or holding a sibling's row, deterministically.
export RACE_PLAN="$TMP/race.plan"
race_reset() { side_reset; printf '01234 43210\n40123 02413\n' >"$RACE_PLAN"; }
for lang in py js; do
  fresh "race-plan-$lang"
  CRASH_MODES=child crash_matrix "$lang-race-plan" race_reset side_show "$E2E/$lang/app/race_plan.$lang"
done
unset RACE_PLAN
# Coroutines resuming in completion order, not start order: each resume
# must hand every one its own recorded values (awaited replays settle in
# journal order).
ticket_reset() { rm -f "$SIDE" "$SIDE.ticket"; }
for lang in py js; do
  fresh "order-$lang"
  CRASH_MODES="child self" crash_matrix "$lang-order" ticket_reset side_show "$E2E/$lang/app/order.$lang"
done

# The samples: their side effects are the files of their data directory
# (stock, receipts, log); times and ids in them are normalised away.  The
# child is killed at every checkpoint; the other faults at every 4th (and
# the last), to keep the suite within a few minutes.
export CURRANT_SAMPLE_DIR="$TMP/data"
data_reset() { rm -rf "$CURRANT_SAMPLE_DIR"; mkdir -p "$CURRANT_SAMPLE_DIR"; }
data_show() {
  (cd "$CURRANT_SAMPLE_DIR" && find . -type f | LC_ALL=C sort && cat stock.json 2>/dev/null &&
    sed -E 's/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/ID/g;
            s/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.+]+Z?/TIME/g; s/-?[0-9]+(\.[0-9]+)?/N/g' \
      shop.log receipts/*.txt 2>/dev/null) || true
}
if [ -x "$CURRANTC" ]; then
  for lang in python javascript; do
    rm -rf "$TMP/out-$lang"
    if (cd "$ROOT/samples" && "$CURRANTC" build -q -o "$TMP/out-$lang" "$lang") >"$TMP/cc.err" 2>&1; then
      entry="$(cd "$TMP/out-$lang" && ls main.py main.mjs main.js 2>/dev/null | head -1 || true)"
      fresh "sample-$lang"
      CRASH_STRIDE=4 crash_matrix "sample-$lang" data_reset data_show "$TMP/out-$lang/$entry"
    else
      echo "note: currantc could not build samples/$lang; its crash matrix is skipped"
      sed 's/^/    /' "$TMP/cc.err" | head -5
    fi
  done
else
  echo "note: build/currantc not built; sample crash matrices skipped"
fi
finish
