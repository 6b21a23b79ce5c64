#!/usr/bin/env bash
# 40-bad-input: the compiler under ASan+UBSan (build/asan/currantc) on bad
# input: binary, non-UTF-8, BOM, empty, a 50 MB file, 5,000-level nesting in
# both languages, unreadable paths (chmod 000 when not root; always a
# directory named x.py, a dangling symlink and a FIFO), symlink loops, a
# syntax error next to a good file, output-directory safety, the CLI's usage
# errors.  Every case: no crash, no sanitizer report or leak, a clear
# answer (exit status 0/1, a diagnostic naming the file when it was not
# instrumented), and the good files beside it still instrumented.
source "$(dirname "$0")/../lib/common.sh"
C="${CURRANTC_BAD:-$ASAN_CURRANTC}"
need_compiler "$C" bad-input
CASES="$TMP/cases"
python3 tests/lib/gen_bad_input.py "$CASES" --big

# run NAME DIR ARGS...: runs the compiler in DIR; sets RC, ERRF, OUTF.
run() {
  local name="$1" dir="$2"
  shift 2
  ERRF="$TMP/$name.stderr"
  OUTF="$TMP/$name.stdout"
  RC=0
  (cd "$dir" && timeout "${RUN_TIMEOUT:-300}" "$C" "$@" </dev/null >"$OUTF" 2>"$ERRF") || RC=$?
}
PROBLEMS=()
problem() { PROBLEMS+=("$*"); }
# verdict NAME: one test from the problems collected since the last verdict.
verdict() {
  if [ ${#PROBLEMS[@]} -eq 0 ]; then
    ok "$1"
  else
    bad "$1" "${PROBLEMS[0]}"
    local p
    for p in "${PROBLEMS[@]:1}"; do echo "    also: $p"; done
    if [ -s "$ERRF" ]; then
      echo "    stderr (first lines):"
      head -n 15 "$ERRF" | cut -c1-300 | sed 's/^/      /'
    fi
  fi
  PROBLEMS=()
}
# sane: the checks every run gets.
sane() {
  if sanitizer_report "$ERRF"; then problem "sanitizer report: $(grep -m1 -E 'ERROR: |runtime error:' "$ERRF" | cut -c1-200)"; fi
  if [ "$RC" -eq 124 ]; then problem "timed out";
  elif [ "$RC" -ge 4 ]; then problem "exit status $RC (crash or sanitizer)"; fi
}
answer_01() { # exit status 0 or 1
  sane
  case "$RC" in 0|1) ;; *) problem "exit status $RC, expected 0 or 1" ;; esac
}
instrumented() { # FILE: has a runtime call
  [ -f "$1" ] || { problem "no output $(basename "$1")"; return; }
  grep -q '_currant\.\(call\|construct\|read\)(' "$1" || problem "output $(basename "$1") not instrumented"
}
unchanged_or_absent() { # OUT_FILE IN_FILE
  if [ -e "$1" ] && ! cmp -s "$1" "$2"; then problem "output $(basename "$1") written but differs from its input"; fi
}
named_in_stderr() { # NAME: a diagnostic line naming the file
  grep -qF "$1" "$ERRF" || problem "no diagnostic naming $1"
}
goods() { # OUTDIR
  instrumented "$1/good.py"
  instrumented "$1/good.js"
}
same_lines() { # OUT IN: python line count kept
  [ -f "$1" ] || return 0
  local a b
  a="$(wc -l <"$1")"; b="$(wc -l <"$2")"
  [ "$a" = "$b" ] || problem "line count $a, input has $b"
}
py_ok() { # FILE: CPython accepts it
  python3 -c 'import sys; compile(open(sys.argv[1],"rb").read(), sys.argv[1], "exec")' "$1" 2>/dev/null ||
    problem "CPython rejects output $(basename "$1")"
}

# ---------------------------------------------------------------- binary
run binary "$CASES/binary" build . -o "$TMP/o-binary"
answer_01; goods "$TMP/o-binary"
for f in binary.py binary.js nul_in_text.py; do
  named_in_stderr "$f"; unchanged_or_absent "$TMP/o-binary/$f" "$CASES/binary/$f"
done
verdict binary-files

# ---------------------------------------------------------------- not UTF-8
run not_utf8 "$CASES/not_utf8" build . -o "$TMP/o-utf8"
answer_01; goods "$TMP/o-utf8"
for f in latin1.py latin1.js truncated_utf8.py overlong.js surrogate.py; do
  named_in_stderr "$f"; unchanged_or_absent "$TMP/o-utf8/$f" "$CASES/not_utf8/$f"
done
verdict non-utf8-files

# the first invalid byte is found at its exact column wherever it falls
# around the scanner's 8-byte ASCII steps, and valid multi-byte text passes
mkdir -p "$TMP/utf8-cols"
for off in 0 7 8 9 15 16 17 31; do
  python3 -c 'import sys; open(sys.argv[1], "wb").write(b"x" * int(sys.argv[2]) + b"\xff = 1\n")' \
    "$TMP/utf8-cols/at$off.py" "$off"
done
printf 's = "h\xc3\xa9llo \xe2\x88\x91 12345678 w\xc3\xb6rld"\nt = time.time()\nimport time\n' >"$TMP/utf8-cols/ok.py"
run utf8_cols "$TMP/utf8-cols" build . -o "$TMP/o-utf8-cols"
answer_01
for off in 0 7 8 9 15 16 17 31; do
  grep -qF "at$off.py:1:$((off + 1)): error: not valid UTF-8" "$ERRF" || problem "at$off.py: not reported at column $((off + 1))"
done
grep -qF "ok.py" "$ERRF" && problem "valid UTF-8 ok.py reported"
instrumented "$TMP/o-utf8-cols/ok.py"
verdict non-utf8-column

# ---------------------------------------------------------------- BOM (valid)
run bom "$CASES/bom" build . -o "$TMP/o-bom"
sane
[ "$RC" -eq 0 ] || problem "exit status $RC for UTF-8 files with a BOM"
instrumented "$TMP/o-bom/bom.py"; instrumented "$TMP/o-bom/bom.js"
[ -f "$TMP/o-bom/bom.py" ] && py_ok "$TMP/o-bom/bom.py"
[ -f "$TMP/o-bom/bom.py" ] && same_lines "$TMP/o-bom/bom.py" "$CASES/bom/bom.py"
if [ -f "$TMP/o-bom/bom.js" ] && ! node --check "$TMP/o-bom/bom.js" 2>/dev/null; then problem "node rejects bom.js output"; fi
verdict utf8-bom

# ---------------------------------------------------------------- empty
run empty "$CASES/empty" build . -o "$TMP/o-empty"
sane
[ "$RC" -eq 0 ] || problem "exit status $RC for empty files"
goods "$TMP/o-empty"
for f in empty.py empty.js empty.mjs empty.cjs blank.py only_comment.js; do
  if [ ! -f "$TMP/o-empty/$f" ]; then problem "$f not copied";
  elif ! cmp -s "$TMP/o-empty/$f" "$CASES/empty/$f"; then problem "$f changed"; fi
done
grep -q 'error:' "$ERRF" && problem "an error reported for empty files"
verdict empty-files

# ---------------------------------------------------------------- 50 MB
run big "$CASES/big" build . -o "$TMP/o-big"
answer_01
instrumented "$TMP/o-big/good.js"
if [ -f "$TMP/o-big/big.py" ] && ! cmp -s "$TMP/o-big/big.py" "$CASES/big/big.py"; then
  same_lines "$TMP/o-big/big.py" "$CASES/big/big.py"
  tail -n 1 "$TMP/o-big/big.py" | grep -q '_currant\.call(' || problem "big.py: last line's site not rewritten"
else
  named_in_stderr big.py # skipped (e.g. a size limit): must say so
fi
verdict big-50mb-file
rm -rf "$TMP/o-big"

# ---------------------------------------------------------------- nesting
for d in deep_py_parens deep_py_calls deep_py_lists deep_py_blocks deep_js_arrays deep_js_calls \
         deep_js_objects deep_js_functions deep_js_optional; do
  run "$d" "$CASES/$d" build . -o "$TMP/o-$d"
  answer_01
  f="$(cd "$CASES/$d" && ls deep.*)"
  if [ "$RC" -ne 0 ]; then named_in_stderr "$f"; fi
  if [ -f "$TMP/o-$d/$f" ] && ! cmp -s "$TMP/o-$d/$f" "$CASES/$d/$f"; then
    case "$f" in *.py) same_lines "$TMP/o-$d/$f" "$CASES/$d/$f" ;; esac
    case "$d" in
      deep_js_arrays|deep_js_calls|deep_js_functions|deep_js_optional|deep_py_calls|deep_py_blocks)
        instrumented "$TMP/o-$d/$f" ;;
    esac
    # When node itself parses the input, the output must stay valid.
    if [ "${f##*.}" = js ] && ! node --stack-size=4000 --check "$TMP/o-$d/$f" >/dev/null 2>&1 &&
       node --stack-size=4000 --check "$CASES/$d/$f" >/dev/null 2>&1; then
      problem "node rejects output $f (it accepts the input)"
    fi
  fi
  verdict "nesting-5000-${d#deep_}"
done

# ---------------------------------------------------------------- unreadable
U="$TMP/unreadable"
mkdir -p "$U/x.py"
cp "$CASES/binary/good.py" "$CASES/binary/good.js" "$U/"
printf 'import time\nt = time.time()\n' >"$U/x.py/inner.py"
ln -s nowhere.py "$U/dangling.py"
mkfifo "$U/fifo.py"
if [ "$(id -u)" -ne 0 ]; then
  printf 'x = 1\n' >"$U/secret.py"
  chmod 000 "$U/secret.py"
fi
RUN_TIMEOUT=60 run unreadable "$U" build . -o "$TMP/o-unreadable"
answer_01; goods "$TMP/o-unreadable"
instrumented "$TMP/o-unreadable/x.py/inner.py"
named_in_stderr dangling.py
if [ "$(id -u)" -ne 0 ]; then
  named_in_stderr secret.py
  [ "$RC" -eq 1 ] || problem "exit status $RC with an unreadable file, expected 1"
fi
verdict unreadable-paths
if [ "$(id -u)" -eq 0 ]; then echo "note: running as root: the chmod 000 case cannot fail here and is not counted"; fi
# The same paths named on the command line.
RUN_TIMEOUT=60 run unreadable-args "$U" build dangling.py x.py good.py -o "$TMP/o-unreadable2"
sane
case "$RC" in 1|2) ;; *) problem "exit status $RC for a dangling SRC, expected 1 or 2" ;; esac
named_in_stderr dangling.py
verdict unreadable-paths-as-arguments
RUN_TIMEOUT=60 run missing-src "$U" build no-such-dir -o "$TMP/o-missing"
sane
case "$RC" in 1|2) ;; *) problem "exit status $RC for a missing SRC, expected 1 or 2" ;; esac
named_in_stderr no-such-dir
verdict missing-source
RUN_TIMEOUT=60 run fifo-arg "$U" build fifo.py -o "$TMP/o-fifo"
sane
case "$RC" in 1|2) ;; *) problem "exit status $RC for a FIFO as SRC, expected 1 or 2" ;; esac
named_in_stderr fifo.py
verdict fifo-as-argument

# ---------------------------------------------------------------- symlink loops
L="$TMP/loops"
mkdir -p "$L/pkg"
cp "$CASES/binary/good.py" "$CASES/binary/good.js" "$L/"
printf 'import os\nk = os.getenv("K")\n' >"$L/pkg/m.py"
ln -s . "$L/pkg/self"
ln -s .. "$L/pkg/up"
ln -s "$L" "$L/pkg/abs"
ln -s a.py "$L/a.py" 2>/dev/null || ln -sf a.py "$L/a.py"
ln -s c.py "$L/b.py"
ln -s b.py "$L/c.py"
RUN_TIMEOUT=60 run loops "$L" build . -o "$TMP/o-loops"
answer_01; goods "$TMP/o-loops"
instrumented "$TMP/o-loops/pkg/m.py"
if [ -d "$TMP/o-loops" ] && find "$TMP/o-loops" -path '*/self/*' -o -path '*/up/*' -o -path '*/abs/*' | grep -q .; then
  problem "a symlinked directory was followed"
fi
for f in a.py b.py c.py; do named_in_stderr "$f"; done
verdict symlink-loops

# ---------------------------------------------------------------- syntax errors
for lang in py js; do
  d="$CASES/syntax_$lang"
  run "syntax_$lang" "$d" build . -o "$TMP/o-syntax-$lang"
  sane
  [ "$RC" -eq 1 ] || problem "exit status $RC, expected 1"
  goods "$TMP/o-syntax-$lang"
  if [ "$lang" = py ]; then want='bad\.py:3:[0-9]+: error: .+'; else want='bad\.js:2:[0-9]+: error: .+'; fi
  grep -qE "(^|/)$want" "$ERRF" || problem "no '$want' diagnostic (gcc style, right line)"
  grep -q $'\x1b\[' "$ERRF" && problem "colour escapes on a non-terminal stderr"
  unchanged_or_absent "$TMP/o-syntax-$lang/bad.$lang" "$d/bad.$lang"
  verdict "syntax-error-beside-good-file-$lang"
done
# Colour: never on a non-TTY even without NO_COLOR; NO_COLOR honoured.
(cd "$CASES/syntax_py" && env -u NO_COLOR timeout 60 "$C" build bad.py -o "$TMP/o-colour" >/dev/null 2>"$TMP/colour.err") || true
ERRF="$TMP/colour.err"; RC=1
sane
grep -q $'\x1b\[' "$TMP/colour.err" && problem "colour escapes when stderr is not a terminal"
if command -v script >/dev/null; then
  (cd "$CASES/syntax_py" && NO_COLOR=1 timeout 60 script -qec "$C build bad.py -o $TMP/o-colour2" /dev/null >"$TMP/colour2.out" 2>&1) || true
  grep -q $'\x1b\[[0-9;]*m' "$TMP/colour2.out" && problem "colour escapes on a TTY despite NO_COLOR"
fi
verdict diagnostics-colour

# ---------------------------------------------------------------- output safety
# snapshot DIR EXCLUDE: every path outside EXCLUDE with its type and bytes.
snapshot() {
  python3 - "$1" "$2" <<'PY'
import hashlib, os, sys
root, excl = sys.argv[1], os.path.realpath(sys.argv[2])
for dp, dns, fns in os.walk(root):
    dns[:] = sorted(d for d in dns if os.path.realpath(os.path.join(dp, d)) != excl or os.path.islink(os.path.join(dp, d)))
    for n in sorted(dns + fns):
        p = os.path.join(dp, n)
        if os.path.realpath(p) == excl and not os.path.islink(p):
            continue
        if os.path.islink(p):
            print("L", os.path.relpath(p, root), os.readlink(p))
        elif os.path.isfile(p):
            print("F", os.path.relpath(p, root), hashlib.sha256(open(p, "rb").read()).hexdigest())
        else:
            print("D", os.path.relpath(p, root))
PY
}
S="$TMP/safety"
mkdir -p "$S/src/pkg" "$S/victim_dir" "$S/out"
printf 'import time\nt = time.time()\n' >"$S/src/a.py"
printf 'import os\nk = os.getenv("K")\n' >"$S/src/pkg/m.py"
printf 'const t = Date.now();\n' >"$S/src/pkg/w.js"
printf 'precious\n' >"$S/victim.txt"
printf 'precious manifest\n' >"$S/victim.json"
ln -s "$S/victim.txt" "$S/out/a.py"
ln -s "$S/victim_dir" "$S/out/pkg"
ln -s "$S/victim.json" "$S/out/currant.graph.json"
snapshot "$S" "$S/out" >"$TMP/snap.before"
run safety "$S" build src -o out
sane
case "$RC" in 0|1|3) ;; *) problem "exit status $RC" ;; esac
snapshot "$S" "$S/out" >"$TMP/snap.after"
if ! diff -u "$TMP/snap.before" "$TMP/snap.after" >"$TMP/snap.diff"; then
  problem "files outside OUT changed: $(grep '^[-+][^-+]' "$TMP/snap.diff" | head -n 5 | tr '\n' ' ')"
fi
[ -z "$(ls -A "$S/victim_dir")" ] || problem "wrote through OUT/pkg, a symlink to outside OUT"
if [ "$RC" -eq 0 ]; then
  [ -L "$S/out/a.py" ] && problem "OUT/a.py still the symlink after a successful build"
  instrumented "$S/out/a.py"
else
  [ -s "$ERRF" ] || problem "exit status $RC without a message"
fi
verdict output-symlinks-not-followed

# A SRC reached through ../ writes under OUT only.
S2="$TMP/safety2"
mkdir -p "$S2/work" "$S2/src/sub"
printf 'import time\nt = time.time()\n' >"$S2/src/sub/a.py"
snapshot "$S2" "$S2/work/out" >"$TMP/snap2.before"
run safety-dotdot "$S2/work" build ../src/sub/a.py ../src -o out
answer_01
snapshot "$S2" "$S2/work/out" >"$TMP/snap2.after"
diff -q "$TMP/snap2.before" "$TMP/snap2.after" >/dev/null || problem "files outside OUT changed: $(diff "$TMP/snap2.before" "$TMP/snap2.after" | head -n 4 | tr '\n' ' ')"
find "$S2/work/out" -type f -name a.py | grep -q . || problem "no a.py under OUT"
verdict dotdot-source-stays-in-out

# OUT is an existing file.
printf 'not a directory\n' >"$S2/outfile"
run out-is-file "$S2" build src -o outfile
sane
case "$RC" in 2|3) ;; *) problem "exit status $RC, expected 2 or 3" ;; esac
[ -s "$ERRF" ] || problem "no message"
[ "$(cat "$S2/outfile")" = "not a directory" ] || problem "the file was changed"
verdict out-is-a-file

# ---------------------------------------------------------------- generated code at scale
# Shapes of generated code that once took minutes or gigabytes (each was
# quadratic in the file's sites): 20,000 functions with a site each, and a
# site occurring three times in one function (stable ids count per
# function and callee); one function with 5,000 locals and a site per
# line (each site lists at most 128 names in scope); a JavaScript class of
# 20,000 methods each calling the next through `this` (each call resolved,
# once looked up by a scan of every method); 20,000 module-level JavaScript
# aliases, the last imported by another file and called (each kept alias
# once scanned the ones before it); one function chaining
# 3,000 sites through assignments (data edges are transitive: a 30-site
# chain has 30*29/2 of them; the 3,000-site one stops at the data-edge
# budget with a -v note).
G="$TMP/generated"
mkdir -p "$G"
python3 - "$G" <<'PY'
import sys
root = sys.argv[1]
with open(f"{root}/many.py", "w") as f:
    f.write("import time\n\n\ndef first():\n    return time.time() + time.time() + time.time()\n")
    f.writelines(f"\n\ndef f{i}():\n    return time.time()\n" for i in range(20000))
with open(f"{root}/locals.py", "w") as f:
    f.write("import time\n\n\ndef g():\n")
    f.writelines(f"    x{i} = time.time() + {i}\n" for i in range(5000))
with open(f"{root}/cls.js", "w") as f:
    f.write("class C {\n")
    f.writelines(f"  m{i}() {{ return this.m{i + 1}() + Date.now(); }}\n" for i in range(20000))
    f.write("  m20000() { return 0; }\n}\nmodule.exports = C;\n")
with open(f"{root}/aliases.js", "w") as f:
    f.writelines(f"const a{i} = Date.now;\n" for i in range(20000))
    f.write("module.exports = { a19999 };\n")
with open(f"{root}/use_alias.js", "w") as f:
    f.write('const { a19999 } = require("./aliases.js");\na19999();\n')
for name, n in (("chain30", 30), ("chain3000", 3000)):
    with open(f"{root}/{name}.py", "w") as f:
        f.write("import time\n\n\ndef g():\n    x0 = time.time()\n")
        f.writelines(f"    x{i} = time.sleep(x{i - 1})\n" for i in range(1, n))
PY
run generated "$G" build . -o "$TMP/o-generated" -v
answer_01
python3 - "$TMP/o-generated/currant.graph.json" >"$TMP/generated.check" 2>&1 <<'PY' || problem "$(head -c 300 "$TMP/generated.check")"
import json, sys
from collections import Counter
m = json.load(open(sys.argv[1]))
sites = [n for n in m["nodes"] if n["kind"] == "site"]
by_file = Counter(n["file"] for n in sites)
assert by_file == {"many.py": 20003, "locals.py": 5000, "chain30.py": 30, "chain3000.py": 3000, "cls.js": 20000, "use_alias.js": 1}, by_file
assert [n["canonical"] for n in sites if n["file"] == "use_alias.js"] == ["Date.now"]
calls = [e for e in m["edges"] if e["kind"] == "call" and e["from"].startswith("function:cls.js:C.m")]
assert len(calls) == 20000 and "function:cls.js:C.m20000" in {e["to"] for e in calls}, len(calls)
ids = {n["id"] for n in sites}
assert len(ids) == len(sites), "site ids not unique"
for k in range(3):
    assert f"site:many.py:first:time.time#{k}" in ids, k
assert "site:many.py:f19999:time.time#0" in ids
assert max(len(n["scope"]) for n in sites if n["file"] == "locals.py") == 128
data = Counter(e["from"].split(":")[1] for e in m["edges"] if e["kind"] == "data")
assert data["chain30.py"] == 30 * 29 // 2, data["chain30.py"]
assert 0 < data["chain3000.py"] < 3000 * 2999 // 2, data["chain3000.py"]
PY
grep -q "chain3000.py: data edges past" "$ERRF" || problem "no -v note on the data-edge budget"
grep -q "chain30.py: data edges past" "$ERRF" && problem "a -v budget note on the 30-site chain"
verdict generated-code-at-scale
rm -rf "$TMP/o-generated"

# ---------------------------------------------------------------- CLI usage
usage_case() { # NAME EXPECTED_RC ARGS...
  local name="$1" want="$2"
  shift 2
  RUN_TIMEOUT=30 run "cli-$name" "$TMP" "$@"
  sane
  [ "$RC" -eq "$want" ] || problem "exit status $RC, expected $want"
  if [ "$want" -ne 0 ]; then [ -s "$ERRF" ] || problem "no message on stderr"; fi
  verdict "cli-$name"
}
mkdir -p "$TMP/cli-src"
printf 'x = 1\n' >"$TMP/cli-src/a.py"
usage_case no-arguments 2
usage_case no-output 2 build cli-src
usage_case no-sources 2 build -o "$TMP/cli-out"
usage_case jobs-zero 2 build cli-src -o "$TMP/cli-out" -j 0
usage_case jobs-word 2 build cli-src -o "$TMP/cli-out" -j many
usage_case unknown-option 2 build cli-src -o "$TMP/cli-out" --frobnicate
usage_case unknown-command 2 frobnicate
usage_case version 0 --version
grep -q '0\.1\.0' "$OUTF" || problem "--version does not print 0.1.0"
verdict cli-version-text
usage_case help 0 --help
grep -q 'build' "$OUTF" || problem "--help does not mention build"
verdict cli-help-text
printf '{ "include": [ "*.py", }\n' >"$TMP/cli-src/currant.json"
usage_case bad-config 2 build cli-src -o "$TMP/cli-out2"
grep -q 'currant.json' "$ERRF" || problem "the message does not name currant.json"
verdict cli-bad-config-named
n=0
for bad in '"src"' '["../lib"]' '["/abs"]' '["."]' '["a/../.."]' '[1]'; do
  n=$((n + 1))
  printf '{ "python_path": %s }\n' "$bad" >"$TMP/cli-src/currant.json"
  usage_case "bad-python-path-$n" 2 build cli-src -o "$TMP/cli-out2"
  grep -q 'currant.json: error: "python_path' "$ERRF" || problem "no python_path error for $bad: $(head -c 200 "$ERRF")"
  verdict "cli-bad-python-path-$n-named"
done
rm "$TMP/cli-src/currant.json"

# Two package.json files naming one package: the first by path is used, and
# -v says so (npm refuses such workspaces; a build should not fail on them).
mkdir -p "$TMP/dup/a" "$TMP/dup/b"
for d in a b; do
  printf '{"name": "twin"}\n' >"$TMP/dup/$d/package.json"
  printf 'module.exports = {};\n' >"$TMP/dup/$d/index.js"
done
printf 'require("twin");\n' >"$TMP/dup/main.js"
run dup-package-names "$TMP" build dup -o "$TMP/dup-out" -v
[ "$RC" -eq 0 ] || problem "exit status $RC"
grep -q 'a/package.json and b/package.json both name "twin"' "$ERRF" || problem "no -v note: $(head -c 200 "$ERRF")"
verdict dup-package-names

finish
