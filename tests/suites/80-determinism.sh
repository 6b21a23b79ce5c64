#!/usr/bin/env bash
# 80-determinism: currant.graph.json (and the whole output tree) is a
# function of the input bytes: byte-identical for -j1 and -j2, across two
# runs, and for the same tree copied to another place and built from
# another directory.  On the samples, a slice of the stdlib and npm's own
# lib/; those manifests are then checked against the JSON Schema in docs/
# and for integrity (tests/lib/check_manifest.py).
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" determinism
STDLIB="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
mkdir -p "$TMP/corpora"
cp -r samples "$TMP/corpora/samples"
mkdir -p "$TMP/corpora/stdlib"
for m in email json asyncio http urllib logging; do
  python3 tests/lib/copy_corpus.py "$STDLIB/$m" "$TMP/corpora/stdlib/$m" .py >/dev/null
done
cp "$STDLIB"/{subprocess,tempfile,random,uuid,shutil,datetime}.py "$TMP/corpora/stdlib/"
npm_root="$(npm root -g 2>/dev/null)"
mkdir -p "$TMP/corpora/npm"
python3 tests/lib/copy_corpus.py "$npm_root/npm/lib" "$TMP/corpora/npm/lib" .js .mjs .cjs >/dev/null

build() { # SRC OUT JOBS [CWD]: sets BRC
  BRC=0
  (cd "${4:-$ROOT}" && timeout 600 "$CURRANTC" build "$1" -o "$2" -j "$3" -q </dev/null >/dev/null 2>"$2.err") || BRC=$?
}
same_tree() { # NAME A B: identical trees (manifest first)
  local name="$1" a="$2" b="$3"
  if [ ! -f "$a/currant.graph.json" ] || [ ! -f "$b/currant.graph.json" ]; then
    bad "$name" "no currant.graph.json"
  elif ! cmp -s "$a/currant.graph.json" "$b/currant.graph.json"; then
    bad "$name" "manifests differ:"
    diff <(python3 -m json.tool "$a/currant.graph.json") <(python3 -m json.tool "$b/currant.graph.json") | head -n 20 | sed 's/^/    /'
  elif ! diff -r -q "$a" "$b" >"$TMP/tree.diff" 2>&1; then
    bad "$name" "output trees differ: $(head -n 3 "$TMP/tree.diff" | tr '\n' ' ')"
  else
    ok "$name"
  fi
}
for c in samples stdlib npm; do
  src="$TMP/corpora/$c"
  build "$src" "$TMP/$c-j1" 1
  b1=$BRC
  build "$src" "$TMP/$c-j2a" 2
  b2=$BRC
  build "$src" "$TMP/$c-j2b" 2
  b3=$BRC
  if [ "$b1" -gt 1 ] || [ "$b2" -gt 1 ] || [ "$b3" -gt 1 ] || [ "$b1" != "$b2" ] || [ "$b2" != "$b3" ]; then
    bad "determinism-$c-status" "exit statuses $b1 $b2 $b3"
  else
    ok "determinism-$c-status"
  fi
  same_tree "determinism-$c-j1-vs-j2" "$TMP/$c-j1" "$TMP/$c-j2a"
  same_tree "determinism-$c-two-runs" "$TMP/$c-j2a" "$TMP/$c-j2b"
  # Same bytes elsewhere, named by a relative path from another directory.
  mkdir -p "$TMP/elsewhere/deeper"
  cp -r "$src" "$TMP/elsewhere/deeper/copy-$c"
  build "deeper/copy-$c" "$TMP/$c-moved" 2 "$TMP/elsewhere"
  same_tree "determinism-$c-moved" "$TMP/$c-j1" "$TMP/$c-moved"
  # Many threads on 2 cores: interleavings change, the bytes must not.
  build "$src" "$TMP/$c-j8" 8
  same_tree "determinism-$c-j8" "$TMP/$c-j1" "$TMP/$c-j8"
done
# The manifests also hold to their schema and to their own integrity.
if [ -f docs/currant.graph.schema.json ]; then
  sub_counts manifest-schema python3 tests/lib/check_manifest.py docs/currant.graph.schema.json \
    "$TMP"/{samples,stdlib,npm}-j1/currant.graph.json
else
  bad manifest-schema "docs/currant.graph.schema.json missing"
fi
finish
