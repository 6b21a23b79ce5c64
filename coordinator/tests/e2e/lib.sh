# coordinator/tests/e2e/lib.sh — helpers for the end-to-end suites
# tests/suites/9x-*.sh, sourced after tests/lib/common.sh.
#
#   CURRANT            the coordinator under test (default build/currant)
#   E2E                this directory (hand-instrumented fixtures py/ js/)
#   fresh NAME         cd into a new empty directory $TMP/NAME; its .currant/
#                      is the journal home of what follows
#   run_id             the id of the newest run (from `currant runs --json`)
#   field RUN KEY      a field of `currant runs --json` for RUN
#   expect NAME WANT_STATUS CMD...
#                      one test on a command's exit status; its
#                      stdout+stderr land in $TMP/last
#   has NAME PATTERN FILE
#                      one test: FILE matches the extended regex PATTERN
#   need_currant [TARGET...]
#                      builds build/currant (and the make TARGETs), or ends the
#                      suite (one failure)
#   start_fake_llm     starts runtime-py/tests/fake_llm.py on 127.0.0.1 (stopped
#                      at exit), exports CURRANT_LLM_BASE_URL and
#                      CURRANT_LLM_MODEL=fake-model; `hits` prints how many
#                      requests it has served; ends the suite if it fails
#   crash_matrix LABEL PREP CMP SCRIPT [ARGS...]
#                      runs SCRIPT once uninterrupted, then for every
#                      checkpoint K and every fault (child killed after K is
#                      committed, child killed before K is committed, the
#                      coordinator killed after K) runs it again with that
#                      fault and resumes it until it ends; each case passes
#                      when the output and the side effects (CMP prints them)
#                      equal the uninterrupted run's.  PREP resets the world.
#                      CRASH_MODES limits the faults; CRASH_STRIDE=S tries
#                      the faults other than "child" at every S-th K only.

CURRANT="${CURRANT:-$ROOT/build/currant}"
E2E="$ROOT/coordinator/tests/e2e"
export CURRANT_QUIET=1

fresh() {
  mkdir -p "$TMP/$1"
  cd "$TMP/$1"
}

run_id() {
  "$CURRANT" runs --json | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r[-1]["id"] if r else "")'
}

field() {
  "$CURRANT" runs --json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if r["id"] == sys.argv[1]:
        v = r[sys.argv[2]]
        print("" if v is None else v)' "$1" "$2"
}

need_currant() {
  local out
  if ! out="$(mk build/currant "$@" 2>&1)"; then
    bad currant-build "make build/currant $* failed"
    printf '%s\n' "$out" | tail -n 20 | sed 's/^/    /'
    finish
    exit 1
  fi
}

expect() {
  local name="$1" want="$2" rc=0
  shift 2
  "$@" >"$TMP/last" 2>&1 || rc=$?
  if [ "$rc" = "$want" ]; then ok "$name"; else
    bad "$name" "exit status $rc, wanted $want: $*"
    head -20 "$TMP/last" | sed 's/^/    /'
  fi
}

has() {
  if grep -qE "$2" "$3"; then ok "$1"; else
    bad "$1" "no /$2/ in $3:"
    head -20 "$3" | sed 's/^/    /'
  fi
}

# resume_until_end RUN: resumes while the run was killed (exit 137) or lost
# its coordinator (70); prints the outputs in order.
# stop_at_exit PID: kill the fake server PID when the suite exits (every
# server started so far, then the temporary directory).
FAKE_PIDS=""
stop_at_exit() {
  FAKE_PIDS="$FAKE_PIDS $1"
  trap 'for p in $FAKE_PIDS; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done; cleanup_tmp' EXIT
}

start_fake_llm() {
  unset CURRANT_PROMPT_CMD CURRANT_PROMPT_CACHE OPENAI_BASE_URL OPENAI_API_KEY CURRANT_LLM_API_KEY
  python3 "$ROOT/runtime-py/tests/fake_llm.py" "$TMP/llm.port" "$TMP/llm.count" &
  stop_at_exit $!
  for _ in $(seq 1 100); do [ -s "$TMP/llm.port" ] && break; sleep 0.05; done
  if [ ! -s "$TMP/llm.port" ]; then
    bad fake-llm "the fake server did not start"
    finish
    exit 1
  fi
  export CURRANT_LLM_BASE_URL="http://127.0.0.1:$(cat "$TMP/llm.port")/v1"
  export CURRANT_LLM_MODEL="fake-model"
}
hits() { cat "$TMP/llm.count" 2>/dev/null || echo 0; }

# start_fake_smtp MAILFILE: the fake SMTP server (runtime-py/tests/
# fake_smtp.py) appending each message's Subject to MAILFILE, its port in
# $SMTP_PORT; stopped at exit.
start_fake_smtp() {
  python3 "$ROOT/runtime-py/tests/fake_smtp.py" "$TMP/smtp.port" "$1" &
  stop_at_exit $!
  for _ in $(seq 1 100); do [ -s "$TMP/smtp.port" ] && break; sleep 0.05; done
  [ -s "$TMP/smtp.port" ] || { bad fake-smtp "the fake server did not start"; return 1; }
  export SMTP_PORT="$(cat "$TMP/smtp.port")"
}

resume_until_end() {
  local i rc=137
  for i in 1 2 3 4; do
    rc=0
    "$CURRANT" resume "$1" 2>>"$TMP/resume.err" || rc=$?
    case $rc in 137 | 70) ;; *) return "$rc" ;; esac
  done
  return "$rc"
}

crash_matrix() {
  local label="$1" prep="$2" cmp="$3" script="$4" mode k n rc base_rc
  shift 4
  $prep
  base_rc=0
  "$CURRANT" run --id "${label}-base" "$script" "$@" >"$TMP/$label.base.out" 2>"$TMP/$label.base.err" || base_rc=$?
  $cmp >"$TMP/$label.base.side"
  n="$(field "${label}-base" checkpoints)"
  if [ -z "$n" ] || [ "$n" -lt 1 ]; then
    bad "$label-base" "no checkpoints recorded (exit $base_rc)"
    sed 's/^/    /' "$TMP/$label.base.err" | head -20
    return 0
  fi
  for mode in ${CRASH_MODES:-child child-before self}; do
    for ((k = 0; k < n; k++)); do
      if [ "$mode" != child ] && [ $((k % ${CRASH_STRIDE:-1})) != 0 ] && [ "$k" != $((n - 1)) ]; then
        continue
      fi
      $prep
      rc=0
      # (a subshell, so that the shell's "Killed" notice goes nowhere)
      (CURRANT_FAULT="$mode:$k" "$CURRANT" run --id "$label-$mode-$k" "$script" "$@" \
        >"$TMP/out" 2>"$TMP/err"; exit $?) 2>/dev/null || rc=$?
      if [ "$rc" = 137 ] || [ "$rc" = 70 ]; then
        rc=0
        resume_until_end "$label-$mode-$k" >>"$TMP/out" || rc=$?
      fi
      if [ "$rc" != "$base_rc" ]; then
        bad "$label-$mode-$k" "exit status $rc, uninterrupted $base_rc"
        { tail -5 "$TMP/err" "$TMP/resume.err" 2>/dev/null || true; } | sed 's/^/    /'
      elif ! cmp -s "$TMP/out" "$TMP/$label.base.out"; then
        bad "$label-$mode-$k" "output differs from the uninterrupted run"
        { diff "$TMP/$label.base.out" "$TMP/out" || true; } | head -10 | sed 's/^/    /'
      elif ! $cmp | cmp -s - "$TMP/$label.base.side"; then
        bad "$label-$mode-$k" "side effects differ from the uninterrupted run"
        { $cmp | diff "$TMP/$label.base.side" - || true; } | head -10 | sed 's/^/    /'
      else
        ok "$label-$mode-$k"
      fi
    done
  done
}

# start_server VAR SCRIPT HITS [RUNNER]: starts a test HTTP server that
# prints its port and appends each request to HITS; exports VAR as its
# base URL and sets server_pid.
start_server() {
  local var="$1" script="$2" hits="$3" runner="${4:-python3}"
  rm -f "$hits" "$hits.port"
  "$runner" "$script" "$hits" >"$hits.port" 2>/dev/null &
  server_pid=$!
  for _ in $(seq 50); do [ -s "$hits.port" ] && break; sleep 0.1; done
  export "$var=http://127.0.0.1:$(cat "$hits.port")"
}

# requests_once LABEL ID APP ENTRY HITS WANT: builds APP with currantc, runs
# its ENTRY as run ID, replays it (it must print the same), forks it from
# checkpoint 2, and checks that the server saw WANT (its requests,
# comma-joined): a replayed request is never sent again.  The run's output
# is left in $TMP/ID.live; false if the build failed.
requests_once() {
  local label="$1" id="$2" app="$3" entry="$4" hits="$5" want="$6"
  if ! "$CURRANTC" build -q -o "$app.out" "$app" 2>"$TMP/last"; then
    bad "$label-build" "currantc: $(head -c 300 "$TMP/last")"
    return 1
  fi
  expect "$label-run" 0 "$CURRANT" run --id "$id" "$app.out/$entry"
  cp "$TMP/last" "$TMP/$id.live"
  expect "$label-replay" 0 "$CURRANT" replay "$id"
  if cmp -s <(grep -v '^currant:' "$TMP/$id.live") <(grep -v '^currant:' "$TMP/last"); then ok "$label-replay-same"; else
    bad "$label-replay-same" "replay printed: $(head -c 300 "$TMP/last")"
  fi
  expect "$label-fork" 0 "$CURRANT" fork "$id" --from 2
  if [ "$(tr '\n' , <"$hits")" = "$want" ]; then ok "$label-once"; else
    bad "$label-once" "server saw: $(tr '\n' , <"$hits")"
  fi
}
