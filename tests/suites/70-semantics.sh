#!/usr/bin/env bash
# 70-semantics: instrumented code run as plain scripts (pass-through
# runtimes: PYTHONPATH=runtime-py, NODE_PATH=runtime-js) prints exactly what
# the original prints: the samples, standard-library modules run as
# scripts, and npm packages of the global npm exercised by a driver.  Each
# case also checks it is not vacuous: the code it runs has boundary sites.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" semantics
export PYTHONPATH="$ROOT/runtime-py" NODE_PATH="$ROOT/runtime-js"
export PYTHONDONTWRITEBYTECODE=1 PYTHONHASHSEED=0 NO_UPDATE_NOTIFIER=1
STDLIB="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"

# sites MANIFEST [PATH_PREFIX]: boundary sites in the manifest's files.
sites() {
  python3 - "$1" "${2:-}" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(sum(f.get("sites", 0) for f in m.get("files", []) if f["path"].startswith(sys.argv[2])
          and f.get("status") == "instrumented"))
PY
}
# compare NAME PLAIN_DIR INSTR_DIR CMD...: runs CMD (with {} for the
# program's directory, {data} for a fresh empty directory) in each,
# compares stdout and exit status.
compare() {
  local name="$1" plain="$2" instr="$3"
  shift 3
  local a="$TMP/$name.plain" b="$TMP/$name.instr" ra=0 rb=0 args=() x
  mkdir -p "$a.data" "$b.data"
  for x in "$@"; do x="${x//\{data\}/$a.data}"; args+=("${x//\{\}/$plain}"); done
  (cd "$WORK" && timeout 120 "${args[@]}" </dev/null >"$a" 2>"$a.err") || ra=$?
  args=()
  for x in "$@"; do x="${x//\{data\}/$b.data}"; args+=("${x//\{\}/$instr}"); done
  (cd "$WORK" && timeout 120 "${args[@]}" </dev/null >"$b" 2>"$b.err") || rb=$?
  if [ "$ra" != "$rb" ]; then
    bad "$name" "exit status plain $ra, instrumented $rb"
    tail -n 8 "$b.err" | sed 's/^/    /'
  elif ! cmp -s "$a" "$b"; then
    bad "$name" "outputs differ:"
    diff -u --label plain --label instrumented "$a" "$b" | head -n 30 | sed 's/^/    /'
    tail -n 5 "$b.err" | sed 's/^/    /'
  elif [ ! -s "$a" ]; then
    bad "$name" "printed nothing (exit status $ra): not a test"
    tail -n 5 "$a.err" | sed 's/^/    /'
  else
    ok "$name"
  fi
}
WORK="$TMP/work"
mkdir -p "$WORK/d1" "$WORK/d2/sub"
printf 'alpha\nbeta\n' >"$WORK/a.txt"
printf 'alpha\nbeta\n' >"$WORK/d1/same.txt"
printf 'alpha\nbeta\n' >"$WORK/d2/same.txt"
printf 'one\n' >"$WORK/d1/only1.txt"
printf 'two\n' >"$WORK/d2/diff.txt"
printf 'TWO\n' >"$WORK/d1/diff.txt"
printf 'caf\xc3\xa9 = \xe2\x82\xac 3\nlong line %s\n' "$(printf 'x%.0s' {1..100})" >"$WORK/q.txt"
python3 - "$WORK" <<'PY'
import sys, tarfile, zipfile, io, os
w = sys.argv[1]
with zipfile.ZipFile(os.path.join(w, "f.zip"), "w") as z:
    for name, data in [("a.txt", b"alpha\n"), ("dir/b.txt", b"beta\n" * 50)]:
        z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 2, 3, 4, 6)), data)
with tarfile.open(os.path.join(w, "f.tar"), "w") as t:
    for name, data in [("a.txt", b"alpha\n"), ("dir/b.txt", b"beta\n")]:
        ti = tarfile.TarInfo(name); ti.size = len(data); ti.mtime = 1700000000; ti.uname = ti.gname = "u"
        t.addfile(ti, io.BytesIO(data))
open(os.path.join(w, "blob.bin"), "wb").write(bytes(range(256)) * 4)
PY

# ---------------------------------------------------------------- samples
if [ -d samples/python ]; then
  "$CURRANTC" build samples/python -o "$TMP/s-py" -q 2>"$TMP/s-py.err" || true
  n="$(sites "$TMP/s-py/currant.graph.json" 2>/dev/null || echo 0)"
  if [ "$n" -gt 0 ]; then
    compare sample-python "$ROOT/samples/python" "$TMP/s-py" python3 "{}/main.py" "{data}"
  else
    bad sample-python "no instrumented site in samples/python"
  fi
else
  bad sample-python "samples/python missing"
fi
if [ -d samples/javascript ]; then
  "$CURRANTC" build samples/javascript -o "$TMP/s-js" -q 2>"$TMP/s-js.err" || true
  [ -f samples/javascript/package.json ] && cp samples/javascript/package.json "$TMP/s-js/" 2>/dev/null || true
  n="$(sites "$TMP/s-js/currant.graph.json" 2>/dev/null || echo 0)"
  if [ "$n" -gt 0 ]; then
    compare sample-javascript "$ROOT/samples/javascript" "$TMP/s-js" node "{}/main.mjs" "{data}"
  else
    bad sample-javascript "no instrumented site in samples/javascript"
  fi
else
  bad sample-javascript "samples/javascript missing"
fi

# ------------------------------------------------ data files beside the code
# tests/golden/*/assets read files next to them (require of a JSON file, a
# template relative to __file__): OUT holds copies, so the instrumented
# tree prints what the source tree prints, plainly and under `currant run`
# (whose frozen bundle is OUT's files).
for lang in python javascript; do
  src="$ROOT/tests/golden/$lang/assets" out="$TMP/assets-$lang"
  "$CURRANTC" build "$src" -o "$out" -q 2>"$out.err" || true
  if [ "$lang" = python ]; then run=(python3 "{}/app.py"); else run=(node "{}/app.js"); fi
  if [ "$(sites "$out/currant.graph.json" 2>/dev/null || echo 0)" -gt 0 ]; then
    compare "assets-$lang" "$src" "$out" "${run[@]}"
  else
    bad "assets-$lang" "no instrumented site in $src"
  fi
  if [ "$lang" = python ]; then
    if [ -x "$out/tools/run.sh" ] && [ "$("$out/tools/run.sh")" = "receipt tool" ]; then ok assets-executable; else
      bad assets-executable "OUT/tools/run.sh lost its permission bits"
    fi
  fi
  if [ -x "$ROOT/build/currant" ]; then
    durable="$TMP/assets-$lang.durable"
    (cd "$out" && env -u PYTHONPATH -u NODE_PATH "$ROOT/build/currant" --home "$TMP/assets-home" run \
      "${run[1]//\{\}/$out}" >"$durable" 2>"$durable.err") || true
    if cmp -s "$TMP/assets-$lang.plain" "$durable"; then
      ok "assets-$lang-durable"
    else
      bad "assets-$lang-durable" "under currant run: $(tail -n 3 "$durable.err" | tr '\n' ' ')"
    fi
  fi
done

# ------------------------------------------------- stdlib modules as scripts
# name | module file | arguments (run in $WORK)
py_cases=(
  "base64-encode|base64.py|-e blob.bin"
  "quopri|quopri.py|q.txt"
  "filecmp|filecmp.py|-r d1 d2"
  "mimetypes|mimetypes.py|-e text/html"
  "zipfile-list|zipfile.py|-l f.zip"
  "zipfile-test|zipfile.py|-t f.zip"
  "tarfile-list|tarfile.py|-v -l f.tar"
  "calendar|calendar.py|2024 2"
  "platform|platform.py|--terse"
  "imghdr|imghdr.py|blob.bin a.txt"
  "sndhdr|sndhdr.py|blob.bin a.txt"
)
for c in "${py_cases[@]}"; do
  IFS='|' read -r name file args <<<"$c"
  out="$TMP/py-$name"
  mkdir -p "$out"
  "$CURRANTC" build "$STDLIB/$file" -o "$out" -q 2>"$out.err" || true
  n="$(sites "$out/currant.graph.json" 2>/dev/null || echo 0)"
  if [ ! -f "$out/$file" ]; then
    bad "stdlib-$name" "no output $file"
  elif [ "$n" -eq 0 ]; then
    bad "stdlib-$name" "$file has no site: not a test"
  else
    # shellcheck disable=SC2086
    compare "stdlib-$name" "$STDLIB" "$out" python3 "{}/$file" $args
  fi
done
# Doctests of a module imported from the instrumented copy.  statistics
# calls nothing the catalogue lists, so a currant.json beside the copy
# makes its math calls boundaries (the pass-through runtime runs them).
for mod in statistics; do
  out="$TMP/doc-$mod"
  mkdir -p "$TMP/docsrc-$mod"
  cp "$STDLIB/$mod.py" "$TMP/docsrc-$mod/"
  printf '{"boundaries": {"python": ["math.fsum", "math.sqrt", "math.exp", "math.log"]}}\n' \
    >"$TMP/docsrc-$mod/currant.json"
  "$CURRANTC" build "$TMP/docsrc-$mod" -o "$out" -q 2>"$out.err" || true
  n="$(sites "$out/currant.graph.json" 2>/dev/null || echo 0)"
  if [ "$n" -eq 0 ]; then
    bad "doctest-$mod" "$mod.py has no site: not a test"
    continue
  fi
  prog="import sys, doctest; sys.path.insert(0, sys.argv[1]); import $mod
assert $mod.__file__.startswith(sys.argv[1]), $mod.__file__
r = doctest.testmod($mod); print(r); sys.exit(1 if r.failed else 0)"
  compare "doctest-$mod" "$STDLIB" "$out" python3 -c "$prog" "{}"
done

# ------------------------------------------------------------ npm packages
NPM_NM="$(npm root -g 2>/dev/null)/npm/node_modules"
js_pkgs=(which semver debug isexe graceful-fs glob diff lru-cache tar brace-expansion minimatch)
mkdir -p "$TMP/js-plain" "$TMP/js-instr"
cp -r "$NPM_NM" "$TMP/js-src"
"$CURRANTC" build "$TMP/js-src" -o "$TMP/js-out" -j 2 -q 2>"$TMP/js-out.err" || true
cp -r "$TMP/js-src" "$TMP/js-plain/node_modules"
cp -r "$TMP/js-src" "$TMP/js-instr/node_modules"
if [ -d "$TMP/js-out" ]; then
  # OUT's node_modules are links to the sources' (nested packages have
  # their own): the copy being overlaid has those directories already
  (cd "$TMP/js-out" && tar --exclude=./currant.graph.json --exclude=node_modules -cf - .) |
    tar -C "$TMP/js-instr/node_modules" -xf -
fi
cp tests/lib/semantics_js_driver.js "$TMP/js-plain/driver.js"
cp tests/lib/semantics_js_driver.js "$TMP/js-instr/driver.js"
for p in "${js_pkgs[@]}"; do
  if [ ! -d "$NPM_NM/$p" ]; then
    bad "npm-$p" "package $p not in $NPM_NM"
    continue
  fi
  n="$(sites "$TMP/js-out/currant.graph.json" "$p/" 2>/dev/null || echo 0)"
  if [ "$n" -eq 0 ]; then
    bad "npm-$p" "no instrumented site in $p: not a test"
    continue
  fi
  compare "npm-$p" "$TMP/js-plain" "$TMP/js-instr" node "{}/driver.js" "$p" "$WORK"
done
finish
