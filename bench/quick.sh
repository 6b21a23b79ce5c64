#!/usr/bin/env bash
# bench/quick.sh — a quick CPU-time check while optimising, not part of
# `make bench`: task-clock (CPU seconds, steadier than wall on a busy
# machine) of the floor and of currantc -j1 / -j2 on one corpus directory.
#
#   bench/quick.sh DIR [REPS] [CURRANTC]
#
# Prints, per run, the CPU seconds and wall seconds of each tool and the
# -j1 CPU ratio to the floor (the issue-2 target is >= 0.8x).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR=${1:?usage: bench/quick.sh DIR [REPS] [CURRANTC]}
REPS=${2:-3}
CC=${3:-build/currantc}
OUT=${QUICK_OUT:-/dev/shm/currant-quick.$$}
measure() { # prints "cpu wall"
  perf stat -x, -e task-clock -o /tmp/quick-perf.$$ "$@" >/dev/null 2>&1 || true
  local cpu wall
  cpu=$(awk -F, '/task-clock/ {printf "%.3f", $1/1000}' /tmp/quick-perf.$$)
  echo "$cpu"
}
for r in $(seq "$REPS"); do
  f=$(measure build/bench/parse_floor "$DIR")
  rm -rf "$OUT"; t0=$(date +%s.%N); j1=$(measure "$CC" build "$DIR" -o "$OUT" -q -j1); t1=$(date +%s.%N)
  rm -rf "$OUT"; t2=$(date +%s.%N); j2=$(measure "$CC" build "$DIR" -o "$OUT" -q -j2); t3=$(date +%s.%N)
  rm -rf "$OUT"
  awk -v f="$f" -v j1="$j1" -v j2="$j2" -v w1="$(echo "$t1 - $t0" | bc)" -v w2="$(echo "$t3 - $t2" | bc)" \
    'BEGIN { printf "floor %.2fs cpu | -j1 %.2fs cpu %.2fs wall | -j2 %.2fs cpu %.2fs wall | -j1/floor cpu %.2fx\n", f, j1, w1, j2, w2, f/j1 }'
done
rm -f /tmp/quick-perf.$$
