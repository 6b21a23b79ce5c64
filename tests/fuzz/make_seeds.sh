#!/usr/bin/env bash
# make_seeds.sh DIR: the fuzz seed corpus from the golden inputs and the
# samples: one file per source, its first byte the harness's file kind
# (0 .py, 1 .js, 2 .mjs, 3 .cjs) followed by the source bytes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$1"
rm -rf "$dir"
mkdir -p "$dir"
n=0
while IFS= read -r -d '' f; do
  case "$f" in
    *.expected/*) continue ;;
    *.py) k='\000' ;;
    *.js) k='\001' ;;
    *.mjs) k='\002' ;;
    *.cjs) k='\003' ;;
    *) continue ;;
  esac
  n=$((n + 1))
  { printf "$k"; cat "$f"; } >"$dir/seed-$(printf '%04d' "$n")"
done < <(find "$ROOT/tests/golden" "$ROOT/samples" -type f \( -name '*.py' -o -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \) -print0 2>/dev/null | LC_ALL=C sort -z)
# A few tiny seeds so the corpus is never empty.
printf '\000import time\nt = time.time()\n' >"$dir/seed-py-min"
printf '\001const fs = require("fs");\nfs.readFileSync("x");\n' >"$dir/seed-js-min"
printf '\002import { readFile } from "node:fs/promises";\nawait readFile("x");\n' >"$dir/seed-mjs-min"
echo "make_seeds: $((n + 3)) seeds in $dir"
