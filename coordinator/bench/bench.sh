#!/usr/bin/env bash
# coordinator/bench/bench.sh [N] — per-checkpoint cost of currant, record
# and replay, Python and JavaScript, beside the plain script, a
# hand-written sqlite3 commit-per-step loop and the fdatasync floor.
# Prints a Markdown table.  (The DBOS/Restate peers of issue 3 are not
# measured here.)
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
row() { printf '| %s | %s | %.1f | %.0f |\n' "$1" "$2" "$(echo "$3 / $N" | bc -l)" "$(echo "$N * 1000000 / $3" | bc -l)"; }
read -r floor sq < <(python3 "$B/floor.py" "$N")
echo "| what | mode | µs per step | steps/s |"
echo "|---|---|---|---|"
echo "| fdatasync of a 200-byte append | floor | $floor | |"
echo "| sqlite3 commit per step (Python, WAL, FULL) | baseline | $sq | |"
for lang in py js; do
  s="$B/steps.$lang"
  base=$(t env PYTHONPATH="$ROOT/runtime-py" NODE_PATH="$ROOT/runtime-js" $([ $lang = py ] && echo python3 || echo node) "$s" 0)
  plain=$(t env PYTHONPATH="$ROOT/runtime-py" NODE_PATH="$ROOT/runtime-js" $([ $lang = py ] && echo python3 || echo node) "$s" "$N")
  row "$lang plain (pass-through)" run "$((plain - base))"
  cbase=$(t "$C" run --id "$lang-zero" "$s" 0) # start-up: freeze, spawn, hello
  for sync in full normal; do
    rec=$(t "$C" --sync "$sync" run --id "$lang-$sync" "$s" "$N")
    row "$lang currant record" "sync=$sync" "$((rec - cbase))"
  done
  rbase=$(t "$C" replay "$lang-zero")
  rep=$(t "$C" replay "$lang-full")
  row "$lang currant replay" replay "$((rep - rbase))"
done
