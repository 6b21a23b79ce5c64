#!/usr/bin/env bash
# 60-roundtrip-js: every .js/.mjs/.cjs under `npm root -g` is instrumented in
# one build (node_modules folders renamed so the walk keeps them); one node
# process checks each file (tests/lib/roundtrip_js.js: vm.compileFunction
# with the CommonJS wrapper's parameters, vm.SourceTextModule for ESM,
# source maps); a sample of outputs is cross-checked with `node --check`.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" roundtrip-js
NPM_ROOT="$(npm root -g 2>/dev/null)"
echo "npm root -g: $NPM_ROOT (node $(node --version))"
n="$(python3 tests/lib/copy_corpus.py "$NPM_ROOT" "$TMP/src" .js .mjs .cjs)"
echo "copied $n JavaScript files"
if [ "$n" -lt 200 ]; then bad roundtrip-js-corpus "only $n JavaScript files under $NPM_ROOT"; fi
build_corpus roundtrip-js "$TMP/src" "$TMP/out"
sub_counts roundtrip-js node --experimental-vm-modules --no-warnings --stack-size=4000 tests/lib/roundtrip_js.js \
  "$TMP/src" "$TMP/out" "$TMP/instrumented.list"
# Cross-check the in-process parse with node --check on a sample of
# instrumented outputs (every 50th, at most 40): a file vm accepted must
# pass node --check too.
if [ -s "$TMP/instrumented.list" ]; then
  mkdir -p "$TMP/check"
  k=0
  while IFS=$'\t' read -r mode file; do
    k=$((k + 1))
    if [ "$mode" = module ]; then ext=mjs; else ext=cjs; fi
    cp "$file" "$TMP/check/$(printf '%03d' "$k").$ext"
  done < <(awk 'NR % 50 == 1' "$TMP/instrumented.list" | head -n 40)
  if (cd "$TMP/check" && ls | xargs -P 2 -I{} sh -c 'node --check "$1" >/dev/null 2>&1 || { echo "node --check rejects $1"; exit 1; }' _ {}) >"$TMP/check.out" 2>&1; then
    ok "node-check-sample"
    echo "node --check agreed on $k sampled outputs"
  else
    bad node-check-sample "$(head -n 3 "$TMP/check.out" | tr '\n' ' ')"
  fi
else
  bad node-check-sample "no instrumented output to cross-check"
fi
# The checker itself must catch what it is there for: three tampered
# outputs (an unchanged file edited, a syntax error, a missing source map)
# give exactly three failures.
mkdir -p "$TMP/self/src"
printf 'const t = Date.now();\nmodule.exports = t;\n' >"$TMP/self/src/a.js"
printf 'const x = 1;\n' >"$TMP/self/src/b.js"
printf 'import { readFileSync } from "node:fs";\nexport const s = readFileSync("x");\n' >"$TMP/self/src/c.mjs"
"$CURRANTC" build "$TMP/self/src" -o "$TMP/self/out" -q </dev/null >/dev/null 2>&1 || true
if [ -f "$TMP/self/out/a.js" ]; then
  printf '// edited\n' >>"$TMP/self/out/b.js"
  sed -i '2s/;/ +;/' "$TMP/self/out/a.js"
  rm -f "$TMP/self/out/c.mjs.map"
fi
self="$(node --experimental-vm-modules --no-warnings tests/lib/roundtrip_js.js "$TMP/self/src" "$TMP/self/out" 2>&1 || true)"
if printf '%s\n' "$self" | grep -qx '0 passed, 3 failed'; then
  ok roundtrip-js-checker-self-test
else
  bad roundtrip-js-checker-self-test "tampered outputs not caught as expected:"
  printf '%s\n' "$self" | tail -n 8 | sed 's/^/    /'
fi
finish
