#!/usr/bin/env bash
# 87-cache: the build cache (OUT/.currant-cache, docs/ARCHITECTURE.md "The
# build cache").  A rebuild's output, manifest, diagnostics and exit status
# are those of a clean build (--no-cache, into an empty OUT) of the same
# sources: after no change (level 1: nothing is written), after edits that
# change a file or what another file's calls resolve to, files added and
# removed, a currant.json change, a different compiler binary, outputs
# tampered with in OUT, and a cache damaged in every way we could think of
# (under ASan+UBSan: no crash, no report).  The cache itself is a function of
# the sources too: byte-identical whatever -j and whatever history.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" cache
need_compiler "$ASAN_CURRANTC" cache-asan
STDLIB="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"

# ---- the corpus: samples, golden cases, a stdlib slice, bad files ---------
SRC="$TMP/src"
mkdir -p "$SRC/golden" "$SRC/stdlib" "$SRC/dep" "$SRC/bad"
cp -r samples/. "$SRC/samples"
for lang in python javascript; do
  mkdir -p "$SRC/golden/$lang"
  find "tests/golden/$lang" -maxdepth 1 -type f \( -name '*.py' -o -name '*.js' -o -name '*.mjs' -o -name '*.cjs' \) \
    -exec cp {} "$SRC/golden/$lang/" \;
  for d in tests/golden/$lang/*/; do
    case "$d" in *.expected/|*/bridge_errors/) continue ;; esac # bridge_errors: below
    cp -r "$d" "$SRC/golden/$lang/"
  done
done
for m in json email; do python3 tests/lib/copy_corpus.py "$STDLIB/$m" "$SRC/stdlib/$m" .py >/dev/null; done
printf 'def work(x):\n    return x\n' >"$SRC/dep/lib.py"
printf 'from dep.lib import work\n\nwork(1)\n' >"$SRC/dep/user.py"
printf 'function work(x) { return x; }\nmodule.exports = { work };\n' >"$SRC/dep/lib.js"
printf 'const { work } = require("./lib");\nwork(1);\n' >"$SRC/dep/user.js"
printf 'x = (\n' >"$SRC/bad/syntax.py"
printf 'a\0b\n' >"$SRC/bad/binary.js"

# build NAME OUT [OPTIONS...]: builds SRC into OUT; RC, $TMP/NAME.err (the
# diagnostics, sorted: threads order them freely) and $TMP/NAME.log (-v lines).
build() {
  local name="$1" out="$2"
  shift 2
  RC=0
  timeout 600 "${BUILDER:-$CURRANTC}" build "$SRC" -o "$out" -j 2 -v "$@" </dev/null >/dev/null 2>"$TMP/$name.raw" || RC=$?
  grep -v '^currantc: ' "$TMP/$name.raw" | LC_ALL=C sort >"$TMP/$name.err" || true
  grep '^currantc: ' "$TMP/$name.raw" >"$TMP/$name.log" || true
}
# reference NAME: a clean build of SRC as it is now (REF_RC, $TMP/ref-NAME).
reference() {
  rm -rf "$TMP/ref-$1"
  build "ref-$1" "$TMP/ref-$1" --no-cache
  REF_RC=$RC
}
# same_as_clean NAME OUT: the last build (RC, NAME.err) and OUT against a
# clean build of the same sources.
same_as_clean() {
  local name="$1" out="$2"
  reference "$name"
  if sanitizer_report "$TMP/$name.raw"; then
    bad "$name" "sanitizer report: $(grep -m1 -E 'ERROR: |runtime error:' "$TMP/$name.raw")"
  elif [ "$RC" != "$REF_RC" ]; then
    bad "$name" "exit status $RC, a clean build gives $REF_RC"
    head -n 5 "$TMP/$name.raw" | sed 's/^/    /'
  elif ! diff -r -q -x .currant-cache "$TMP/ref-$name" "$out" >"$TMP/$name.diff" 2>&1; then
    bad "$name" "output differs from a clean build: $(head -n 3 "$TMP/$name.diff" | tr '\n' ' ')"
  elif ! diff -u "$TMP/ref-$name.err" "$TMP/$name.err" >"$TMP/$name.ediff"; then
    bad "$name" "diagnostics differ from a clean build's:"
    head -n 12 "$TMP/$name.ediff" | sed 's/^/    /'
  else
    ok "$name"
  fi
}
# says NAME PATTERN: the last -v log matches (what the cache did).
says() {
  if grep -qE "$2" "$TMP/$1.log"; then ok "$1-log"; else
    bad "$1-log" "no /$2/ in the -v lines:"; sed 's/^/    /' "$TMP/$1.log" | head -n 12
  fi
}
edit() { printf '%s\n' "$2" >>"$SRC/$1"; }

OUT="$TMP/out"
# ---- first build, then no change --------------------------------------------
build first "$OUT"
same_as_clean first "$OUT"
if [ -s "$OUT/.currant-cache/index" ] && [ -s "$OUT/.currant-cache/pack" ]; then ok cache-written; else
  bad cache-written "no OUT/.currant-cache/{index,pack}"; fi
grep -q ': error: ' "$TMP/first.err" && grep -q ': warning: ' "$TMP/first.err" && ok corpus-has-diagnostics ||
  bad corpus-has-diagnostics "the corpus should give errors and warnings to replay"

touch "$TMP/marker"
sleep 1
build nochange "$OUT"
same_as_clean nochange "$OUT"
says nochange 'no change since the last build'
if [ -z "$(find "$OUT" -newer "$TMP/marker" -print -quit)" ]; then ok nochange-writes-nothing; else
  bad nochange-writes-nothing "written: $(find "$OUT" -newer "$TMP/marker" | head -n 3 | tr '\n' ' ')"; fi

# ---- edits ------------------------------------------------------------------
edit stdlib/json/encoder.py 'import time; _stamp = time.time()'
build edit-leaf "$OUT"
same_as_clean edit-leaf "$OUT"
says edit-leaf "[0-9]+ of [0-9]+ files loaded"
n_files=$(grep -oE 'of [0-9]+ files loaded' "$TMP/edit-leaf.log" | grep -oE '[0-9]+')
loaded=$(grep -oE '[0-9]+ of [0-9]+ files loaded' "$TMP/edit-leaf.log" | cut -d' ' -f1)
[ "$loaded" = "$((n_files - 1))" ] && ok edit-leaf-only-that-file || bad edit-leaf-only-that-file "$loaded of $n_files loaded"

# A definition becomes a task: its callers in other files become sites.
grep -q '_currant' "$OUT/dep/user.py" && bad dep-before "user.py instrumented before the edit" || ok dep-before
printf 'import currant\n\n@currant.task\ndef work(x):\n    return x\n' >"$SRC/dep/lib.py"
printf 'const { task } = require("currant");\nconst work = task(function work(x) { return x; });\nmodule.exports = { work };\n' \
  >"$SRC/dep/lib.js"
build edit-dependency "$OUT"
same_as_clean edit-dependency "$OUT"
grep -q '_currant.call(0, work' "$OUT/dep/user.py" && ok dep-py-caller-rebuilt || bad dep-py-caller-rebuilt "user.py not re-instrumented"
grep -q '_currant.call(0, work' "$OUT/dep/user.js" && ok dep-js-caller-rebuilt || bad dep-js-caller-rebuilt "user.js not re-instrumented"
printf 'def work(x):\n    return x\n' >"$SRC/dep/lib.py"
build edit-dependency-back "$OUT"
same_as_clean edit-dependency-back "$OUT"

# Files added and removed; a syntax error fixed and another made.
printf 'import os\nhome = os.getenv("HOME")\n' >"$SRC/dep/added.py"
rm "$SRC/stdlib/json/tool.py" # its output goes too: OUT runs as the sources do
printf 'x = (1)\n' >"$SRC/bad/syntax.py"
printf 'def broken(:\n' >"$SRC/dep/broken.py"
build add-remove "$OUT"
same_as_clean add-remove "$OUT"
says add-remove 'removed 1 outputs whose sources are gone'

# What the last build wrote and this one does not is removed when it still
# holds the bytes written (a package's directory with it, once empty); a
# file the user put in OUT, or changed there since, is left alone.
mkdir -p "$SRC/gone/pkg"
printf 'import time\nstamp = time.time()\n' >"$SRC/gone/pkg/mod.py"
printf 'const t = Date.now();\nmodule.exports = t;\n' >"$SRC/gone/site.js"
printf 'const u = Date.now();\nmodule.exports = u;\n' >"$SRC/gone/changed.js"
printf 'data\n' >"$SRC/gone/pkg/data.txt"
build stale-before "$OUT"
if [ -f "$OUT/gone/pkg/mod.py" ] && [ -f "$OUT/gone/site.js.map" ]; then ok stale-before; else
  bad stale-before "gone/ not built"; fi
printf 'mine\n' >"$OUT/gone/mine.txt"
printf '// edited in OUT\n' >>"$OUT/gone/changed.js"
rm -r "$SRC/gone/pkg" "$SRC/gone/changed.js"
printf 'const t = 1;\nmodule.exports = t;\n' >"$SRC/gone/site.js" # no site now: no map
build stale "$OUT"
says stale 'removed 4 outputs whose sources are gone'
if [ ! -e "$OUT/gone/pkg" ] && [ ! -e "$OUT/gone/site.js.map" ] && [ -f "$OUT/gone/site.js" ]; then ok stale-removed; else
  bad stale-removed "left: $(cd "$OUT/gone" && find . | tr '\n' ' ')"; fi
if [ "$(cat "$OUT/gone/mine.txt")" = mine ] && grep -q 'edited in OUT' "$OUT/gone/changed.js"; then ok stale-keeps-users-files; else
  bad stale-keeps-users-files "a file the build did not write as it is was removed"; fi
says stale 'changed.js: its source is gone, but it changed since the last build wrote it: left'
rm -r "$SRC/gone" "$OUT/gone"

# ---- config and compiler ----------------------------------------------------
printf '{"boundaries": {"python": ["dep.lib.work"], "javascript": ["dep.lib.work"]}}\n' >"$SRC/currant.json"
build config "$OUT"
same_as_clean config "$OUT"
says config ' 0 of [0-9]+ files loaded|reused as they were'
grep -q '_currant.call(0, work' "$OUT/dep/user.py" && ok config-takes-effect || bad config-takes-effect "user.py not instrumented"
build config-nochange "$OUT"
says config-nochange 'no change since the last build'
rm "$SRC/currant.json" # copied by the config build: removed with it
build config-removed "$OUT"
same_as_clean config-removed "$OUT"

# A data file beside the sources is copied to OUT, and a change to it is a
# change: the no-change path must not keep the old copy.
printf '{"n": 1}\n' >"$SRC/dep/table.json"
build data-added "$OUT"
same_as_clean data-added "$OUT"
build data-nochange "$OUT"
says data-nochange 'no change since the last build'
printf '{"n": 2}\n' >"$SRC/dep/table.json"
build data-edited "$OUT"
same_as_clean data-edited "$OUT"
if cmp -s "$SRC/dep/table.json" "$OUT/dep/table.json"; then ok data-edited-copied; else
  bad data-edited-copied "OUT/dep/table.json is not the edited file"
fi

# Another compiler binary: a copy whose linker build id (what keys the
# cache, docs/ARCHITECTURE.md) differs, as a rebuild's or a new version's does.
python3 - "$CURRANTC" "$TMP/currantc-next" <<'PY'
import subprocess, sys
note = subprocess.run(["readelf", "-n", sys.argv[1]], capture_output=True, text=True).stdout
old = bytes.fromhex(note.split("Build ID: ")[1].split()[0])
data = open(sys.argv[1], "rb").read()
assert data.count(old) == 1, "the build id should occur once"
open(sys.argv[2], "wb").write(data.replace(old, bytes([old[0] ^ 1]) + old[1:]))
PY
chmod +x "$TMP/currantc-next"
BUILDER="$TMP/currantc-next" build compiler "$OUT"
same_as_clean compiler "$OUT"
says compiler ' 0 of [0-9]+ files loaded'

# ---- OUT tampered with --------------------------------------------------------
build settle "$OUT"
rm "$OUT/dep/added.py"
printf 'tampered\n' >"$OUT/samples/python/main.py"
rm -f "$OUT/samples/javascript/main.mjs.map" "$OUT/samples/javascript/lib/payments.js.map"
build tampered "$OUT"
same_as_clean tampered "$OUT"
rm "$OUT/currant.graph.json"
build manifest-gone "$OUT"
same_as_clean manifest-gone "$OUT"
# A directory of OUT swapped for a symlink to it, elsewhere: every file is
# the same, but a build must refuse to write through it, so nothing may
# pass for unchanged (the check of each directory is remembered, not
# skipped).
mv "$OUT/dep" "$TMP/dep-moved"
ln -s "$TMP/dep-moved" "$OUT/dep"
build symlinked-dir "$OUT"
if grep -q 'no change since the last build' "$TMP/symlinked-dir.log"; then
  bad symlinked-dir "a build through a symlinked directory of OUT said nothing changed"
elif grep -q 'refusing to write through a symlink' "$TMP/symlinked-dir.err"; then
  ok symlinked-dir
else
  bad symlinked-dir "no refusal: $(head -n 3 "$TMP/symlinked-dir.err" | tr '\n' ' ')"
fi
rm "$OUT/dep"
mv "$TMP/dep-moved" "$OUT/dep"
build symlinked-dir-back "$OUT"
same_as_clean symlinked-dir-back "$OUT"

# ---- the cache is a function of the sources --------------------------------
rm -rf "$TMP/fresh1" "$TMP/fresh2"
build fresh1 "$TMP/fresh1" -j 1
build fresh2 "$TMP/fresh2" -j 2
if diff -r -q "$TMP/fresh1" "$TMP/fresh2" >/dev/null && diff -r -q "$TMP/fresh1" "$OUT" >/dev/null; then
  ok cache-deterministic
else
  bad cache-deterministic "OUT (cache included) differs between -j1, -j2 and a rebuilt OUT:" \
    "$(diff -r -q "$TMP/fresh1" "$OUT" | head -n 2 | tr '\n' ' ')"
fi

# ---- options ------------------------------------------------------------------
rm -rf "$TMP/nocache"
build no-cache "$TMP/nocache" --no-cache
[ -e "$TMP/nocache/.currant-cache" ] && bad no-cache-writes-none "--no-cache wrote a cache" || ok no-cache-writes-none
rm -rf "$TMP/elsewhere" "$TMP/out-dir"
build cache-dir "$TMP/out-dir" --cache-dir "$TMP/elsewhere"
build cache-dir-again "$TMP/out-dir" --cache-dir "$TMP/elsewhere"
if [ -s "$TMP/elsewhere/index" ] && [ ! -e "$TMP/out-dir/.currant-cache" ]; then ok cache-dir-used; else
  bad cache-dir-used "no cache in --cache-dir, or one in OUT"; fi
says cache-dir-again 'no change since the last build'
# The default cache directory is inside OUT: a symlink there is not followed.
rm -rf "$TMP/victim" "$TMP/out-link"
mkdir -p "$TMP/victim" "$TMP/out-link"
ln -s "$TMP/victim" "$TMP/out-link/.currant-cache"
build cache-symlink "$TMP/out-link"
same_as_clean cache-symlink "$TMP/out-link"
[ -z "$(ls -A "$TMP/victim")" ] && ok cache-symlink-not-followed || bad cache-symlink-not-followed "wrote into the link's target"

# ---- a damaged cache, under ASan+UBSan --------------------------------------
# Each case starts from a good cache of the current sources, damages it,
# then edits one file (so that both levels read what is left).
BUILDER="$ASAN_CURRANTC" build asan-good "$OUT"
same_as_clean asan-good "$OUT"
BUILDER="$ASAN_CURRANTC" build asan-nochange "$OUT"
same_as_clean asan-nochange "$OUT"
says asan-nochange 'no change since the last build'
# Loaded files whose calls now resolve elsewhere get their trees back.
printf 'import currant\n\n@currant.task\ndef work(x):\n    return x\n' >"$SRC/dep/lib.py"
BUILDER="$ASAN_CURRANTC" build asan-dependency "$OUT"
same_as_clean asan-dependency "$OUT"
printf 'def work(x):\n    return x\n' >"$SRC/dep/lib.py"
BUILDER="$ASAN_CURRANTC" build asan-dependency-back "$OUT"
same_as_clean asan-dependency-back "$OUT"
cp -r "$OUT/.currant-cache" "$TMP/good-cache"
cp -r "$TMP/fresh1/.currant-cache" "$TMP/foreign-cache" # a cache of other sources
C="$OUT/.currant-cache"
damage() { # NAME: applies damage NAME to $C
  case "$1" in
    truncated-pack) head -c "$(($(stat -c %s "$C/pack") / 2))" "$TMP/good-cache/pack" >"$C/pack" ;;
    truncated-index) head -c 100 "$TMP/good-cache/index" >"$C/index" ;;
    flipped-pack) python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read())
for i in range(7, len(b), len(b)//97): b[i] ^= 0x5a
open(p,"wb").write(b)' "$C/pack" ;;
    flipped-index) python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2] ^= 1
open(p,"wb").write(b)' "$C/index" ;;
    garbage) head -c 200000 /dev/urandom >"$C/pack"; head -c 3000 /dev/urandom >"$C/index" ;;
    empty) : >"$C/pack"; : >"$C/index" ;;
    swapped) cp "$TMP/good-cache/index" "$C/pack"; cp "$TMP/good-cache/pack" "$C/index" ;;
    foreign) cp "$TMP/foreign-cache/index" "$TMP/foreign-cache/pack" "$C/" ;;
    not-a-directory) rm -rf "$C"; printf 'x\n' >"$C" ;;
    unreadable-parts) rm -rf "$C"; mkdir -p "$C/pack" "$C/index" ;;
  esac
}
n=0
for d in not-a-directory unreadable-parts truncated-pack truncated-index flipped-index garbage empty swapped \
         foreign flipped-pack; do
  rm -rf "$C"
  cp -r "$TMP/good-cache" "$C"
  damage "$d"
  n=$((n + 1))
  edit "dep/added.py" "x$n = os.getenv(\"X$n\")"
  BUILDER="$ASAN_CURRANTC" build "damaged-$d" "$OUT"
  same_as_clean "damaged-$d" "$OUT"
done
# After the damage, a healthy cache again.
build healed "$OUT"
build healed-nochange "$OUT"
says healed-nochange 'no change since the last build'

# ---- build-wide reports -------------------------------------------------------
# Cross-language errors name other files in their messages: a build that
# printed some is never replayed (level 1), it is redone from the entries.
SRC="$TMP/bridge-src"
mkdir -p "$SRC"
for lang in python javascript; do
  [ -d "tests/golden/$lang/bridge_errors" ] && cp -r "tests/golden/$lang/bridge_errors" "$SRC/$lang"
done
build bridge-first "$TMP/bridge-out"
build bridge-again "$TMP/bridge-out"
same_as_clean bridge-again "$TMP/bridge-out"
if grep -q 'no change since the last build' "$TMP/bridge-again.log"; then
  bad bridge-not-replayed "build-wide reports replayed from the cache"
elif ! grep -q ': error: ' "$TMP/bridge-again.err"; then
  bad bridge-not-replayed "the corpus gives no cross-language error"
else
  ok bridge-not-replayed
fi
finish
