#!/usr/bin/env bash
# bench/insn.sh CORPUS_DIR CURRANTC FLOOR — called by bench/run.sh: the
# instructions (valgrind's callgrind, user space, every thread) the floor and
# `currantc build -j1` execute on two fixed inputs, and their ratio.  Prints
# a Markdown section.
#
# Why beside the timings: on this shared 2-core VM the same binary's CPU time
# on the same corpus moves by ±25% from one run to the next, more than the
# gaps the targets are about; instruction counts repeat to well under 1%.
# They leave out what the kernel does (page faults, writing the output) and
# what cache misses cost, so they complement the wall-clock table, whose
# figures the targets are checked on, and do not replace it.
#
# Inputs: the stdlib's top-level modules (CORPUS/py/*.py: real library code,
# no test data; the whole stdlib would take ~15 min under valgrind) and the
# whole JavaScript corpus (CORPUS/js).
set -euo pipefail
CORPUS=${1:?usage: bench/insn.sh CORPUS_DIR CURRANTC FLOOR}
CURRANTC=${2:?}
FLOOR=${3:?}
W=$(mktemp -d "${TMPDIR:-/tmp}/currant-insn.XXXXXX")
trap 'rm -rf "$W"' EXIT

mkdir -p "$W/py-top"
cp "$CORPUS"/py/*.py "$W/py-top/"

# count CMD... -> total instructions of the command (all threads)
count() {
  valgrind --tool=callgrind --callgrind-out-file="$W/cg.out" "$@" >/dev/null 2>"$W/cg.log" || true
  grep -o 'Collected : [0-9]*' "$W/cg.log" | awk '{print $3}'
}

echo "## Instructions (callgrind), -j1 against the floor"
echo
echo "Counted by valgrind (user space, every thread) on fixed inputs; they repeat to well under 1%"
echo "where the timings above move by ±25%, but leave out the kernel (page faults, writing the"
echo "output) and the cost of cache misses, so the targets stay checked on the timings above."
echo
echo "| input | files | MB | floor (M instructions) | currantc -j1 (M instructions) | floor / currantc |"
echo "|---|---:|---:|---:|---:|---:|"
for input in "$W/py-top:stdlib top-level modules" "$CORPUS/js:JavaScript corpus"; do
  dir=${input%%:*} label=${input#*:}
  files=$(find "$dir" -type f \( -name '*.py' -o -name '*.js' \) | wc -l)
  bytes=$(find "$dir" -type f \( -name '*.py' -o -name '*.js' \) -exec cat {} + | wc -c)
  f=$(count "$FLOOR" "$dir")
  rm -rf "$W/out"
  c=$(count "$CURRANTC" build -o "$W/out" -j 1 -q "$dir")
  if [ -z "$f" ] || [ -z "$c" ]; then
    echo "| $label | $files | | not measured (valgrind failed: see $W) | | |"
    continue
  fi
  awk -v l="$label" -v n="$files" -v b="$bytes" -v f="$f" -v c="$c" \
    'BEGIN { printf "| %s | %d | %.1f | %.0f | %.0f | %.2fx |\n", l, n, b / 1e6, f / 1e6, c / 1e6, f / c }'
done
