# coordinator/tests/e2e/common-checks.sh — the end-to-end checks shared by
# tests/suites/92-durable-py.sh and 93-durable-js.sh.  Expects LANG_DIR
# (py or js) and EXT (py or js); fixtures are $E2E/$LANG_DIR/app/*.$EXT.
# `currant` is run with PYTHONPATH and NODE_PATH unset: it must find the
# runtimes itself.

need_currant
unset PYTHONPATH NODE_PATH
APP="$E2E/$LANG_DIR/app"
export SIDE="$TMP/side.txt"
cur() { "$CURRANT" "$@"; }

status_is() {
  local got
  got="$(field "$2" status)"
  if [ "$got" = "$3" ]; then ok "$1"; else bad "$1" "run $2 is '$got', wanted '$3'"; fi
}

# --- a run, listed and shown ------------------------------------------------
fresh basic
rm -f "$SIDE"
expect "$EXT-run" 0 cur run --id main "$APP/main.$EXT"
has "$EXT-run-output" '^end A' "$TMP/last"
if [ "$(sort "$SIDE" | tr '\n' ,)" = "a,inner0,inner1,inner2,$([ "$EXT" = js ] && echo obj1,)" ]; then
  ok "$EXT-side-effects-once"
else
  bad "$EXT-side-effects-once" "side file: $(tr '\n' , <"$SIDE")"
fi
status_is "$EXT-status-done" main done
expect "$EXT-runs" 0 cur runs
has "$EXT-runs-lists" '^main +done' "$TMP/last"
expect "$EXT-runs-json" 0 sh -c "'$CURRANT' runs --json | python3 -c 'import json,sys; r=json.load(sys.stdin); assert r[0][\"checkpoints\"] >= 12, r'"
expect "$EXT-show" 0 cur show main
has "$EXT-show-rows" 'app/main\.'"$EXT"' site 0 +ok' "$TMP/last"
has "$EXT-show-error-row" ' error ' "$TMP/last"
expect "$EXT-show-json" 0 sh -c "'$CURRANT' show main --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"checkpoints\"][0][\"key\"] == \"0\"'"
expect "$EXT-inspect" 0 cur inspect main --at 3
has "$EXT-inspect-at" 'at checkpoint 3' "$TMP/last"
expect "$EXT-inspect-json" 0 sh -c "'$CURRANT' inspect main --at 3 --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[\"outcomes\"]) == 3'"
expect "$EXT-inspect-range" 2 cur inspect main --at 999

# --- replay: same path, no side effects --------------------------------------
before="$(wc -l <"$SIDE")"
expect "$EXT-replay" 0 cur replay main
has "$EXT-replay-matched" 'matched the journal' "$TMP/last"
if [ "$(wc -l <"$SIDE")" = "$before" ]; then ok "$EXT-replay-no-side-effects"; else bad "$EXT-replay-no-side-effects" "side file grew"; fi
expect "$EXT-resume-done" 2 cur resume main

# --- fork from checkpoint 4: the first 4 outcomes reused ----------------------
rm -f "$SIDE"
expect "$EXT-fork" 0 cur fork main --from 4
has "$EXT-fork-output" '^end A' "$TMP/last"
if ! grep -qx a "$SIDE" 2>/dev/null; then ok "$EXT-fork-reuses-prefix"; else bad "$EXT-fork-reuses-prefix" "checkpoint 0 ran again"; fi

# --- divergence ---------------------------------------------------------------
export FLAG="$TMP/flag"
rm -f "$FLAG"
(CURRANT_FAULT=child:0 "$CURRANT" run --id div "$APP/div.$EXT" >/dev/null 2>&1; exit $?) 2>/dev/null || true
touch "$FLAG"
expect "$EXT-divergence-exit" 3 cur resume div
has "$EXT-divergence-names-both" "recorded app/div\.$EXT site 0 but this execution reached app/div\.$EXT site 1" "$TMP/last"
status_is "$EXT-divergence-status" div diverged
rm -f "$FLAG"

# --- a crash, then resume -----------------------------------------------------
rm -f "$SIDE"
(CURRANT_FAULT=child:4 "$CURRANT" run --id crash "$APP/main.$EXT" >"$TMP/crash.out" 2>&1; exit $?) 2>/dev/null || true
status_is "$EXT-crash-status" crash crashed
expect "$EXT-crash-resume" 0 cur resume crash
status_is "$EXT-crash-resumed-done" crash done

# --- concurrent plain async calls resumed in another order --------------------
# Killed after worker 1's second call (key 4) committed while worker 0's
# (key 3) ran; the resume starts them the other way round: worker 1 takes
# its row from the pool at key 3, and worker 0, reaching key 4 once every
# row was replayed, must run under a fresh key, not journal key 4 again.
rm -f "$SIDE"
export RACE_PLAN="$TMP/race.plan"
printf '012 102\n102 012\n' >"$RACE_PLAN"
(CURRANT_FAULT=child:3 "$CURRANT" run --id race "$APP/race_plan.$EXT" >/dev/null 2>&1; exit $?) 2>/dev/null || true
status_is "$EXT-race-crashed" race crashed
expect "$EXT-race-resume" 0 cur resume race
has "$EXT-race-output" "^\[ ?'?\"?0A0B.*2A2B" "$TMP/last"
if [ "$(sort "$SIDE" | tr '\n' ,)" = "0a,0b,1a,1b,2a,2b," ]; then ok "$EXT-race-side-effects-once"; else
  bad "$EXT-race-side-effects-once" "side file: $(tr '\n' , <"$SIDE")"
fi
expect "$EXT-race-show" 0 cur show race
has "$EXT-race-fresh-key" "^ +[0-9]+ +4'1 " "$TMP/last"

# The same workers, odd ones calling from another site, killed once all
# five second calls committed (keys 5-9, in start order 01234).  The resume
# starts them otherwise (40123): worker 0 (site 1) gets key 6, whose row
# worker 1 made at site 2, and takes its own row (key 5) from the pool
# instead of reporting non-determinism; so does every other worker.
rm -f "$SIDE"
printf '01234 43210\n40123 02413\n' >"$RACE_PLAN"
(RACE_SITES=alternate CURRANT_FAULT=child:9 "$CURRANT" run --id race-sites "$APP/race_plan.$EXT" >/dev/null 2>&1; exit $?) 2>/dev/null || true
status_is "$EXT-race-sites-crashed" race-sites crashed
RACE_SITES=alternate expect "$EXT-race-sites-resume" 0 cur resume race-sites
has "$EXT-race-sites-output" "^\[ ?'?\"?0A0B.*4A4B" "$TMP/last"
if [ "$(sort "$SIDE" | tr '\n' ,)" = "0a,0b,1a,1b,2a,2b,3a,3b,4a,4b," ]; then ok "$EXT-race-sites-once"; else
  bad "$EXT-race-sites-once" "side file: $(tr '\n' , <"$SIDE")"
fi
unset RACE_PLAN

# --- the coordinator dies: `serve` takes the orphaned run over ---------------
rm -f "$SIDE"
(CURRANT_FAULT=self:2 "$CURRANT" run --id orphan "$APP/main.$EXT" >/dev/null 2>&1; exit $?) 2>/dev/null || true
status_is "$EXT-orphan-running" orphan running
expect "$EXT-serve-orphan" 0 cur serve --once
status_is "$EXT-orphan-done" orphan done
if [ "$(sort "$SIDE" | uniq -d | wc -l)" = 0 ]; then ok "$EXT-orphan-once"; else bad "$EXT-orphan-once" "repeated side effects"; fi

# --- calls still running when the script exits -------------------------------
# Recorded abandoned at the run's end (JS: a promise and a child process's
# callback; Python: an await asyncio.run cancels); a replay reaches them
# where the run did, runs nothing, and matches the journal.
rm -f "$SIDE"
expect "$EXT-abandon-run" 0 cur run --id abandon "$APP/abandon.$EXT"
has "$EXT-abandon-output" '^clock read (true|True)$' "$TMP/last"
expect "$EXT-abandon-show" 0 cur show abandon
want=$([ "$EXT" = js ] && echo 2 || echo 1)
if [ "$(grep -c ' abandoned ' "$TMP/last")" = "$want" ]; then ok "$EXT-abandon-rows"; else
  bad "$EXT-abandon-rows" "wanted $want abandoned rows: $(tr '\n' '|' <"$TMP/last")"
fi
expect "$EXT-abandon-replay" 0 cur replay abandon
has "$EXT-abandon-replay-matched" 'matched the journal' "$TMP/last"
if [ "$(wc -l <"$SIDE")" = 1 ]; then ok "$EXT-abandon-replay-runs-nothing"; else
  bad "$EXT-abandon-replay-runs-nothing" "side file: $(tr '\n' , <"$SIDE")"
fi

# resume_everywhere NAME N WANT: runs $APP/NAME.$EXT whole (its files under
# $TMP/NAME.data.*, named by $DATA), then killed after each of its N
# checkpoints in turn and resumed: every resume must end done, with the
# output (whose last lines show the files) of the uninterrupted run, which
# must hold the line WANT.
resume_everywhere() {
  local name="$1" n="$2" want="$3" failed_at="" k back="$PWD"
  fresh "$name"
  export DATA="$TMP/$name.data"
  rm -f "$DATA".*
  expect "$EXT-$name-run" 0 cur run --id "$name" "$APP/$name.$EXT"
  grep -v '^currant:' "$TMP/last" >"$TMP/$name.whole" || true
  for k in $(seq 0 $((n - 1))); do
    rm -f "$DATA".*
    (CURRANT_FAULT=child:$k "$CURRANT" run --id "$name$k" "$APP/$name.$EXT" >"$TMP/$name.out" 2>/dev/null; exit $?) 2>/dev/null || true
    [ "$(field "$name$k" status)" = crashed ] || failed_at="$failed_at $k(not-crashed)"
    "$CURRANT" resume "$name$k" >>"$TMP/$name.out" 2>/dev/null || failed_at="$failed_at $k(resume)"
    grep -v '^currant:' "$TMP/$name.out" | cmp -s - "$TMP/$name.whole" || failed_at="$failed_at $k(output)"
  done
  if grep -qxF "$want" "$TMP/$name.whole" && [ -z "$failed_at" ]; then ok "$EXT-$name-resume-at-every-checkpoint"; else
    bad "$EXT-$name-resume-at-every-checkpoint" "whole run: $(tr '\n' '|' <"$TMP/$name.whole"); failed at:$failed_at"
  fi
  unset DATA
  cd "$back"
}

# crash_then_resume NAME K: runs $APP/NAME.$EXT whole, then again killed
# after checkpoint K and resumed; three tests: it crashed, the resume
# succeeded, and run + resume printed what the whole run printed.  $SIDE is
# emptied before each run.
crash_then_resume() {
  local name="$1" k="$2" rc=0
  rm -f "$SIDE"
  "$CURRANT" run --id "$name-whole" "$APP/$name.$EXT" >"$TMP/$name.whole" 2>/dev/null || true
  rm -f "$SIDE"
  (CURRANT_FAULT=child:$k "$CURRANT" run --id "$name" "$APP/$name.$EXT" >"$TMP/$name.out" 2>/dev/null; exit $?) 2>/dev/null || true
  status_is "$EXT-$name-crashed" "$name" crashed
  "$CURRANT" resume "$name" >>"$TMP/$name.out" 2>"$TMP/last" || rc=$?
  if [ "$rc" = 0 ]; then ok "$EXT-$name-resume"; else bad "$EXT-$name-resume" "exit $rc: $(tail -c 300 "$TMP/last")"; fi
  if [ -s "$TMP/$name.whole" ] && cmp -s "$TMP/$name.whole" "$TMP/$name.out"; then ok "$EXT-$name-output-once"; else
    bad "$EXT-$name-output-once" "run + resume printed: $(tr '\n' '|' <"$TMP/$name.out"), whole run: $(tr '\n' '|' <"$TMP/$name.whole")"
  fi
}

# --- a stream kept from the replayed start writes once live -----------------
# Killed after checkpoint 0; on resume what the program took from stdout
# while its start replayed muted (Python: a logging handler holding the
# stand-in sys.stdout; JS: a bound process.stdout.write) writes once the run
# is live, and what printed before the crash does not print again.
crash_then_resume keeps_stream 0

# --- a call in flight behind later checkpoints --------------------------------
# Killed after checkpoint 1 while call 0 still ran: the resume runs call 0
# again (never committed) without lifting the mute, since rows after it
# replay; run + resume print what one run prints, and call 0's effect
# happens once.
crash_then_resume inflight 1
if [ "$(cat "$SIDE" 2>/dev/null)" = cleanup ]; then ok $EXT-inflight-effect-once; else
  bad $EXT-inflight-effect-once "side file: $(tr '\n' , <"$SIDE" 2>/dev/null)"
fi

# --- values and errors round trip --------------------------------------------
expect "$EXT-values" 0 cur run --id values "$APP/values.$EXT"
cp "$TMP/last" "$TMP/values.live"
has "$EXT-unrecordable-names-site" "unrecordable: .*app/values\.$EXT site [0-9]+: cannot record a value of type" "$TMP/last"
expect "$EXT-values-replay" 0 cur replay values
grep -v '^currant:' "$TMP/last" >"$TMP/values.replayed" || true
if cmp -s <(grep -v '^currant:' "$TMP/values.live") "$TMP/values.replayed"; then ok "$EXT-values-replay-same"; else
  bad "$EXT-values-replay-same" "replayed values print differently"
  diff <(grep -v '^currant:' "$TMP/values.live") "$TMP/values.replayed" | head -10 | sed 's/^/    /'
fi

# --- retries: every attempt journaled, a crash mid-retry resumes the count ----
rm -f "$SIDE"
expect "$EXT-retry" 0 cur run --id retry "$APP/retry.$EXT"
has "$EXT-retry-result" 'result 3' "$TMP/last"
cur show retry >"$TMP/show" 2>&1
if [ "$(grep -cE ' retry +[0-9]' "$TMP/show")" = 2 ]; then ok "$EXT-retry-attempts-journaled"; else bad "$EXT-retry-attempts-journaled" "$(cat "$TMP/show")"; fi
rm -f "$SIDE"
(CURRANT_FAULT=child:0 "$CURRANT" run --id retry2 "$APP/retry.$EXT" >/dev/null 2>&1; exit $?) 2>/dev/null || true
expect "$EXT-retry-resume" 0 cur resume retry2
if [ "$(wc -l <"$SIDE")" = 3 ]; then ok "$EXT-retry-resume-attempts"; else bad "$EXT-retry-resume-attempts" "$(wc -l <"$SIDE") attempts"; fi

# --- signal and wait_event ----------------------------------------------------
"$CURRANT" run --id ev "$APP/event.$EXT" >"$TMP/ev.out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q waiting "$TMP/ev.out" 2>/dev/null && break; sleep 0.1; done
expect "$EXT-signal" 0 cur signal ev approve '{"ok": true}'
rc=0
wait "$pid" || rc=$?
if [ "$rc" = 0 ]; then ok "$EXT-event-run"; else bad "$EXT-event-run" "exit $rc"; fi
has "$EXT-event-delivered" 'got .*ok.*[Tt]rue' "$TMP/ev.out"
has "$EXT-event-timeout" 'timeout (None|null)' "$TMP/ev.out"
expect "$EXT-signal-bad-json" 2 cur signal ev approve '{nope'
expect "$EXT-event-replay" 0 cur replay ev

# --- durable sleep: suspended, then resumed by serve --------------------------
expect "$EXT-sleep-suspends" 75 env CURRANT_SUSPEND_AFTER=0.3 "$CURRANT" run --id nap "$APP/sleep.$EXT" 1.5
status_is "$EXT-sleep-status" nap suspended
expect "$EXT-serve-not-due" 0 cur serve --once
status_is "$EXT-sleep-still-suspended" nap suspended
sleep 1.6
expect "$EXT-serve-resumes" 0 cur serve --once
has "$EXT-serve-ran-rest" '^after' "$TMP/last"
status_is "$EXT-sleep-done" nap done

# --- cancel -------------------------------------------------------------------
if [ "$EXT" = py ]; then
  "$CURRANT" run --id long "$APP/long.py" >"$TMP/long.out" 2>&1 &
  pid=$!
  for _ in $(seq 50); do grep -q started "$TMP/long.out" 2>/dev/null && break; sleep 0.1; done
  expect py-cancel 0 cur cancel long
  rc=0
  wait "$pid" || rc=$?
  if [ "$rc" = 130 ]; then ok py-cancel-exit; else bad py-cancel-exit "exit $rc"; fi
  status_is py-cancel-status long cancelled
  expect py-cancel-no-resume 2 cur resume long
fi

# --- a script nobody built ---------------------------------------------------
# Outside any build and not using the runtime itself: refused with the way
# out, and nothing frozen (its directory would be the bundle).
mkdir -p "$TMP/plain-src"
if [ "$EXT" = py ]; then echo 'print(1)' >"$TMP/plain-src/plain.py"; else echo 'console.log(1)' >"$TMP/plain-src/plain.js"; fi
bundles_before="$(ls .currant/bundles 2>/dev/null | wc -l)"
expect "$EXT-not-instrumented" 2 cur run "$TMP/plain-src/plain.$EXT"
has "$EXT-not-instrumented-said" 'is not instrumented .*currantc build' "$TMP/last"
if [ "$(ls .currant/bundles 2>/dev/null | wc -l)" = "$bundles_before" ]; then ok "$EXT-not-instrumented-nothing-frozen"; else
  bad "$EXT-not-instrumented-nothing-frozen" "a bundle was made"
fi

# --- a journal home inside the tree it freezes --------------------------------
# `--home` under the script's own directory: the home is not part of the
# bundle (each run's bundle held the journal and every older bundle, so the
# home grew exponentially, run after run).
mkdir -p "$TMP/home-inside"
if [ "$EXT" = py ]; then echo 'print(1)  # currant' >"$TMP/home-inside/hand.py"; else echo 'console.log(1); // currant' >"$TMP/home-inside/hand.js"; fi
expect "$EXT-home-inside-1" 0 cur --home "$TMP/home-inside/state" run "$TMP/home-inside/hand.$EXT"
if [ "$EXT" = py ]; then echo '# edited' >>"$TMP/home-inside/hand.py"; else echo '// edited' >>"$TMP/home-inside/hand.js"; fi # a new bundle
expect "$EXT-home-inside-2" 0 cur --home "$TMP/home-inside/state" run "$TMP/home-inside/hand.$EXT"
nested="$(find "$TMP/home-inside/state/bundles" -mindepth 2 -name state | wc -l)"
bundles="$(find "$TMP/home-inside/state/bundles" -mindepth 1 -maxdepth 1 -type d | wc -l)"
if [ "$nested" = 0 ] && [ "$bundles" = 2 ]; then ok "$EXT-home-inside-not-frozen"; else
  bad "$EXT-home-inside-not-frozen" "$bundles bundles, $nested holding the home"
fi

# --- bad input on the channel -------------------------------------------------
if [ "$EXT" = py ]; then
  for kind in garbage oversized; do
    t0=$SECONDS
    expect "py-channel-$kind" 70 cur run --id "bad-$kind" "$APP/garbage.py" "$kind"
    has "py-channel-$kind-said" 'bad message on the channel' "$TMP/last"
    if [ $((SECONDS - t0)) -lt 8 ]; then ok "py-channel-$kind-fast"; else bad "py-channel-$kind-fast" "took $((SECONDS - t0)) s"; fi
    status_is "py-channel-$kind-status" "bad-$kind" crashed
  done
  expect py-journal-still-fine 0 cur runs

  # --- concurrent runs on one journal -----------------------------------------
  fresh concurrent
  pids=()
  for i in 1 2 3 4; do
    SIDE="$TMP/side$i" "$CURRANT" run --id "c$i" "$APP/main.py" >/dev/null 2>&1 &
    pids+=($!)
  done
  good=0
  for p in "${pids[@]}"; do wait "$p" && good=$((good + 1)); done
  if [ "$good" = 4 ]; then ok py-concurrent-runs; else bad py-concurrent-runs "$good of 4 succeeded"; fi
  for i in 1 2 3 4; do
    if [ "$(field "c$i" checkpoints)" = "$(field c1 checkpoints)" ] && [ "$(wc -l <"$TMP/side$i")" = 4 ]; then
      ok "py-concurrent-$i"
    else bad "py-concurrent-$i" "checkpoints $(field "c$i" checkpoints)"; fi
  done

  # --- a corrupt journal and a foreign one --------------------------------------
  fresh corrupt
  mkdir -p .currant
  head -c 4096 /dev/urandom >.currant/journal.db
  expect py-corrupt-journal 4 cur runs
  has py-corrupt-journal-said 'cannot use the journal' "$TMP/last"
  fresh foreign
  mkdir -p .currant
  sqlite3 .currant/journal.db 'CREATE TABLE accounts(id INTEGER);'
  expect py-foreign-journal 4 cur runs
  has py-foreign-journal-said 'foreign' "$TMP/last"
fi

# --- the sample, compiled by currantc: durable output = plain output -----------
if [ -x "$CURRANTC" ]; then
  lang=$([ "$EXT" = py ] && echo python || echo javascript)
  if (cd "$ROOT/samples" && "$CURRANTC" build -q -o "$TMP/sample-out" "$lang") >"$TMP/cc.err" 2>&1; then
    entry="$(cd "$TMP/sample-out" && ls main.py main.mjs main.js 2>/dev/null | head -1 || true)"
    fresh sample
    export CURRANT_SAMPLE_DIR="$TMP/sample/plain"
    mkdir -p "$CURRANT_SAMPLE_DIR"
    if [ "$EXT" = py ]; then
      PYTHONPATH="$ROOT/runtime-py" python3 "$TMP/sample-out/$entry" >"$TMP/plain.out" 2>&1 || true
    else
      NODE_PATH="$ROOT/runtime-js" node "$TMP/sample-out/$entry" >"$TMP/plain.out" 2>&1 || true
    fi
    export CURRANT_SAMPLE_DIR="$TMP/sample/durable"
    mkdir -p "$CURRANT_SAMPLE_DIR"
    expect "$EXT-sample-run" 0 cur run --id sample "$TMP/sample-out/$entry"
    grep -v '^currant:' "$TMP/last" >"$TMP/durable.out" || true
    if cmp -s "$TMP/plain.out" "$TMP/durable.out"; then ok "$EXT-sample-same-output"; else
      bad "$EXT-sample-same-output" "durable output differs from pass-through"
      diff "$TMP/plain.out" "$TMP/durable.out" | head -10 | sed 's/^/    /'
    fi
    expect "$EXT-sample-show" 0 cur show sample
    has "$EXT-sample-show-names-lines" "\.$EXT[a-z]*:[0-9]+ \(" "$TMP/last"
    expect "$EXT-sample-replay" 0 cur replay sample
  else
    echo "note: currantc could not build samples/$lang; sample checks skipped"
  fi
fi
