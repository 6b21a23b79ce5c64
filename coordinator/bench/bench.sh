#!/usr/bin/env bash
# coordinator/bench/bench.sh [N] — per-checkpoint cost of currant, record
# and replay, Python and JavaScript, beside the plain script, a
# hand-written sqlite3 commit-per-step loop and the fdatasync floor.
# Prints a Markdown table, the coordinator's peak RSS over a 100,000-checkpoint
# run, then peers/peers.py's: the DBOS and Restate
# peers and the no-boundary overhead (also written into
# docs/BENCHMARKS-coordinator.md); then the cost of a call across runtimes
# (a bridge call to the other language's no-op) against a same-language
# task call, as a ratio.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
N="${1:-2000}"
C="$ROOT/build/currant"
B="$ROOT/coordinator/bench"
W="$(mktemp -d)"
trap 'rm -rf "$W"' EXIT
cd "$W"
export CURRANT_QUIET=1
t() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(((e - s) / 1000)); }
# The median of 3 runs of "$@" (a steps script, plain or under currant) as
# timed by the script itself around its N steps ($CURRANT_BENCH_TIMING), in
# µs: no start-up in it, so no start-up jitter either.  "{}" in the
# arguments is replaced by the run's number (distinct run ids).
tloop() {
  local i f="$W/timing"
  rm -f "$f"
  for i in 1 2 3; do CURRANT_BENCH_TIMING="$f" "${@//\{\}/$i}" >/dev/null; done
  sort -n "$f" | sed -n 2p | awk '{printf "%d", $1 * 1000}'
}
tmin() { local m=0 v i; for i in 1 2 3; do v=$(t "$@"); if ((i == 1 || v < m)); then m=$v; fi; done; echo "$m"; }
row() { printf '| %s | %s | %.1f | %.0f |\n' "$1" "$2" "$(echo "$3 / $N" | bc -l)" "$(echo "$N * 1000000 / $3" | bc -l)"; }
read -r floor sq < <(python3 "$B/floor.py" "$N")
echo "| what | mode | µs per step | steps/s |"
echo "|---|---|---|---|"
echo "| fdatasync of a 200-byte append | floor | $floor | |"
echo "| sqlite3 commit per step (Python, WAL, FULL) | baseline | $sq | |"
for lang in py js; do
  s="$B/steps.$lang"
  interp=$([ $lang = py ] && echo python3 || echo node)
  plain=$(tloop env PYTHONPATH="$ROOT/runtime-py" NODE_PATH="$ROOT/runtime-js" "$interp" "$s" "$N")
  row "$lang plain (pass-through)" run "$plain"
  for sync in full normal; do
    rec=$(tloop "$C" --sync "$sync" run --id "$lang-$sync-{}" "$s" "$N")
    row "$lang currant record" "sync=$sync" "$rec"
  done
  "$C" run --id "$lang-zero" "$s" 0 >/dev/null # replay's start-up, below
  # Replay is ~10 µs a step: at N steps it would drown in start-up noise
  # (100-500 ms here).  Replay RN steps instead (recorded with --sync normal,
  # the same journal), less the fastest of 3 replays of the 0-step run.
  RN="${REPLAY_N:-50000}"
  "$C" --sync normal run --id "$lang-replay" "$s" "$RN" >/dev/null
  rbase=$(tmin "$C" replay "$lang-zero")
  rep=$(tmin "$C" replay "$lang-replay")
  N="$RN" row "$lang currant replay" "replay, $RN steps" "$((rep - rbase))"
done
echo

# The coordinator's peak RSS (VmHWM, polled every 10 ms until it exits:
# the high-water mark only grows) recording and replaying a run of RSS_N
# checkpoints; issue 3's target is under 10 MB at 100,000.
peak_kb() {
  local pid hw=0 v
  "$@" >/dev/null 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    v=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [ -n "$v" ] && hw=$v
    sleep 0.01
  done
  wait "$pid" || true
  echo "$hw"
}
RSS_N="${RSS_N:-100000}"
echo "| coordinator peak RSS (VmHWM), $RSS_N checkpoints | record (sync=normal) | replay |"
echo "|---|---|---|"
for lang in py js; do
  rec=$(peak_kb "$C" --sync normal run --id "$lang-rss" "$B/steps.$lang" "$RSS_N")
  rep=$(peak_kb "$C" replay "$lang-rss")
  printf '| %s | %.1f MB | %.1f MB |\n' "$lang" "$(echo "$rec / 1024" | bc -l)" "$(echo "$rep / 1024" | bc -l)"
done
echo
python3 "$B/peers/peers.py" --doc "$ROOT/docs/BENCHMARKS-coordinator.md"

# Per call, the first call (worker start-up) excluded: (t(N) - t(1)) / (N - 1),
# each time the best of 3 (the machine is shared; start-up jitter is large).
# Replay runs REPLAY_N calls (recorded with --sync normal) so that its few
# µs a call are not lost in start-up noise.
best() {
  local lang="$1" kind="$2" mode="$3" steps="$4" i us min=
  for i in 1 2 3; do
    if [ "$mode" = replay ]; then
      us=$(t "$C" replay "$lang-$kind-$steps-rec" 2>/dev/null)
    else
      us=$(t "$C" --sync "$mode" run --id "$lang-$kind-$steps-$mode-$i" "$B/steps.$lang" "$steps" "$kind")
    fi
    if [ -z "$min" ] || [ "$us" -lt "$min" ]; then min=$us; fi
  done
  echo "$min"
}
cost() {
  local lang="$1" kind="$2" mode="$3" n="$N" k
  if [ "$mode" = replay ]; then
    n="${REPLAY_N:-20000}"
    for k in 1 "$n"; do "$C" --sync normal run --id "$lang-$kind-$k-rec" "$B/steps.$lang" "$k" "$kind" >/dev/null; done
  fi
  echo "($(best "$lang" "$kind" "$mode" "$n") - $(best "$lang" "$kind" "$mode" 1)) / ($n - 1)" | bc -l
}
echo
echo "| caller | mode | task µs/call | bridge µs/call | bridge / task |"
echo "|---|---|---|---|---|"
for lang in py js; do
  for mode in full normal replay; do
    task=$(cost "$lang" task "$mode")
    bridge=$(cost "$lang" bridge "$mode")
    label=$([ "$mode" = replay ] && echo replay || echo "record, sync=$mode")
    printf '| %s | %s | %.1f | %.1f | %.2f |\n' "$lang" "$label" "$task" "$bridge" "$(echo "$bridge / $task" | bc -l)"
  done
done
