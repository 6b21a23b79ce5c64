#!/usr/bin/env bash
# 83-check: `currantc check` (docs/CHECK.md).
#   rules: every rule, positive and negative, Python and JavaScript, against
#          the `expect:` markers of tests/check/rules (tests/check/expect.py)
#   suppressions: tests/check/suppress; formats: text (gcc style, colour on a
#          TTY only without NO_COLOR), json, sarif (validated against the
#          published SARIF 2.1.0 schema with ajv: tests/check/validate_sarif.cjs,
#          npm packages pinned by tests/check/package-lock.json), github
#          (workflow commands and their escaping)
#   exit codes 0/1/2, --fail-on, baseline (write, use, new findings, stale
#          entries, line moves), --affected in a temporary git repository,
#          nothing written, same report whatever -j, no ASan report.
# When build/currantc does not route `check` yet, a shim linked from the
# compiler objects (tests/check/shim_main.c) stands in, and says so.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" check
CT="$ROOT/build/check-test"
FX="$ROOT/tests/check"
OBJS_OF() { find "$1" -name '*.o' ! -name main.o | LC_ALL=C sort; }
VENDOR_O=(build/obj/ts_lib.o build/obj/py_parser.o build/obj/py_scanner.o build/obj/js_parser.o build/obj/js_scanner.o)
INC=(-Ibuild/vendor/tree-sitter/vendor/tree-sitter/lib/include -Icompiler)

# ---- the command under test ---------------------------------------------------
C="$CURRANTC"
if ! "$C" check --help >/dev/null 2>&1; then
  echo "83-check: note: $CURRANTC has no 'check' command yet (compiler/main.c must call check_command); testing a shim"
  mapfile -t objs < <(OBJS_OF build/obj/compiler; OBJS_OF build/obj/passes; OBJS_OF build/obj/emit)
  C="$TMP/currantc-check"
  check "shim links" cc -std=c11 -D_GNU_SOURCE -pthread -Wall -Wextra -Werror "${INC[@]}" tests/check/shim_main.c \
    "${objs[@]}" "${VENDOR_O[@]}" -ljansson -lcrypto -lpthread -o "$C"
fi
K=("$C" check)

status_is() { # status_is NAME WANT CMD...
  local name="$1" want="$2" rc=0
  shift 2
  "$@" >"$TMP/cli.out" 2>"$TMP/cli.err" || rc=$?
  if [ "$rc" = "$want" ]; then ok "$name"; else bad "$name" "exit $rc, want $want: $(head -c 300 "$TMP/cli.err")"; fi
}
jq_py() { # jq_py FILE PYTHON-EXPR-ON-d: prints the value
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
is() { # is NAME GOT WANT
  if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', want '$3'"; fi
}

# ---- rules ----------------------------------------------------------------------
cd "$FX"
"${K[@]}" rules --format json -o "$TMP/rules.json" 2>"$TMP/rules.err" && rc=0 || rc=$?
is "rules: exit 1 (errors present)" "$rc" 1
check "rules: every expect marker, nothing else" python3 expect.py rules "$TMP/rules.json"
for rule in syntax-error unrecordable-boundary nondeterminism unresolved-cross-language bridge-arity task-cycle untracked-receiver; do
  for lang in py js; do
    n="$(python3 -c '
import json,sys
d=json.load(open(sys.argv[1])); ext=(".py",) if sys.argv[3]=="py" else (".js",".mjs",".cjs")
print(sum(1 for f in d["findings"] if f["rule"]==sys.argv[2] and f["file"].endswith(ext)))' "$TMP/rules.json" "$rule" "$lang")"
    [ "$n" -gt 0 ] && ok "rules: $rule found in $lang" || bad "rules: $rule found in $lang" "no finding"
  done
done
check "rules: stderr has no duplicate syntax errors" bash -c "! grep -q 'syntax error' '$TMP/rules.err'"
check "rules: summary line on stderr" grep -q '^currantc check: 10 errors, 36 warnings, 0 notes' "$TMP/rules.err"
"${K[@]}" rules --format json -j 1 -q >"$TMP/rules-j1.json" 2>/dev/null || true
"${K[@]}" rules --format json -j 2 -q >"$TMP/rules-j2.json" 2>/dev/null || true
check "rules: same report with -j 1, -j 2 and -o" cmp "$TMP/rules-j1.json" "$TMP/rules-j2.json"
check "rules: -o FILE equals stdout" cmp "$TMP/rules.json" "$TMP/rules-j1.json"
check "rules: fingerprints unique, 32 hex" python3 -c '
import json,re,sys; d=json.load(open(sys.argv[1])); fps=[f["fingerprint"] for f in d["findings"]]
assert len(fps)==len(set(fps)); assert all(re.fullmatch("[0-9a-f]{32}",x) for x in fps)' "$TMP/rules.json"
cp -r rules "$TMP/untouched"
(cd "$TMP/untouched" && find . -type f | LC_ALL=C sort >"$TMP/before.lst")
"${K[@]}" "$TMP/untouched" -q >/dev/null 2>&1 || true
(cd "$TMP/untouched" && find . -type f | LC_ALL=C sort >"$TMP/after.lst")
check "rules: nothing written next to the sources" cmp "$TMP/before.lst" "$TMP/after.lst"

# ---- suppressions ------------------------------------------------------------------
"${K[@]}" suppress --format json -o "$TMP/sup.json" 2>/dev/null || true
check "suppress: only unsilenced findings remain" python3 expect.py suppress "$TMP/sup.json"
is "suppress: 8 silenced, counted" "$(jq_py "$TMP/sup.json" 'd["summary"]["suppressed"]')" 8

# ---- formats --------------------------------------------------------------------------
"${K[@]}" rules -q >"$TMP/rules.txt" 2>/dev/null || true
check "text: one gcc-style line per finding" python3 -c '
import json,re,sys
lines=open(sys.argv[1]).read().splitlines(); d=json.load(open(sys.argv[2]))
assert len(lines)==len(d["findings"]), (len(lines), len(d["findings"]))
for l,f in zip(lines,d["findings"]):
    want="%s:%d:%d: %s: %s [%s]"%(f["path"],f["line"],f["col"],f["severity"],f["message"],f["rule"])
    assert l==want, (l,want)' "$TMP/rules.txt" "$TMP/rules.json"
check "text: no colour when not a terminal" bash -c "! grep -q $'\033' '$TMP/rules.txt'"
if command -v script >/dev/null; then
  env -u NO_COLOR script -qec "$C check rules -q" /dev/null >"$TMP/tty.txt" 2>&1 || true
  check "text: coloured on a terminal" grep -q $'\033\[1;35mwarning:' "$TMP/tty.txt"
  env NO_COLOR=1 script -qec "$C check rules -q" /dev/null >"$TMP/tty-nc.txt" 2>&1 || true
  check "text: NO_COLOR honoured on a terminal" bash -c "! grep -q $'\033' '$TMP/tty-nc.txt'"
else
  bad "text: colour" "'script' (util-linux) missing: cannot fake a terminal"
fi
check "json: shape" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
assert d["format"]=="currant.check/1" and d["tool"]["name"]=="currantc"
for f in d["findings"]:
    assert set(f)=={"rule","severity","file","path","line","col","function","message","fingerprint"}, f
assert d["stale_baseline"]==[] and d["summary"]["errors"]==10 and d["summary"]["warnings"]==36' "$TMP/rules.json"

sarif_deps() {
  mkdir -p "$CT"
  if ! cmp -s "$FX/package-lock.json" "$CT/package-lock.json" || [ ! -d "$CT/node_modules/ajv" ]; then
    cp "$FX/package.json" "$FX/package-lock.json" "$CT/"
    (cd "$CT" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null 2>&1)
  fi
}
"${K[@]}" rules --format sarif -o "$TMP/rules.sarif" 2>/dev/null || true
"${K[@]}" suppress --format sarif -o "$TMP/sup.sarif" 2>/dev/null || true
if sarif_deps; then
  check "sarif: valid against the SARIF 2.1.0 schema (ajv)" env NODE_PATH="$CT/node_modules" node validate_sarif.cjs \
    "$TMP/rules.sarif" "$TMP/sup.sarif"
  printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","version":1}},"results":[{"level":"bogus"}]}]}' \
    >"$TMP/invalid.sarif"
  check "sarif: the validator rejects an invalid log" bash -c \
    "! NODE_PATH='$CT/node_modules' node validate_sarif.cjs '$TMP/invalid.sarif' >/dev/null"
else
  bad "sarif: schema" "npm ci of tests/check/package-lock.json (ajv, @microsoft/sarif-multitool-linux) failed"
fi
check "sarif: rules, results, locations, fingerprints" python3 -c '
import json,sys; s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2]))
run=s["runs"][0]; drv=run["tool"]["driver"]
assert s["version"]=="2.1.0" and drv["name"]=="currantc" and drv["version"]
levels={r["id"]:r["defaultConfiguration"]["level"] for r in drv["rules"]}
assert levels=={"syntax-error":"error","unrecordable-boundary":"warning","nondeterminism":"warning",
  "unresolved-cross-language":"error","bridge-arity":"error","task-cycle":"error","untracked-receiver":"warning",
  "stale-baseline":"note"}, levels
assert all(r["shortDescription"]["text"] for r in drv["rules"])
assert len(run["results"])==len(d["findings"])
for r,f in zip(run["results"],d["findings"]):
    loc=r["locations"][0]["physicalLocation"]
    assert r["ruleId"]==f["rule"] and r["level"]==f["severity"] and r["message"]["text"]==f["message"]
    assert drv["rules"][r["ruleIndex"]]["id"]==r["ruleId"]
    assert loc["artifactLocation"]=={"uri":f["path"],"uriBaseId":"%SRCROOT%"}, loc
    assert loc["region"]=={"startLine":f["line"],"startColumn":f["col"]}, loc
    assert r["partialFingerprints"]=={"currantFingerprint/v1":f["fingerprint"]}
assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].startswith("file:///")' "$TMP/rules.sarif" "$TMP/rules.json"

"${K[@]}" rules --format github -q >"$TMP/rules.gh" 2>/dev/null || true
check "github: one workflow command per finding" python3 -c '
import json,sys
lines=open(sys.argv[1]).read().splitlines(); d=json.load(open(sys.argv[2]))
cmd={"error":"error","warning":"warning","note":"notice"}
assert len(lines)==len(d["findings"])
for l,f in zip(lines,d["findings"]):
    want="::%s file=%s,line=%d,col=%d,title=%s::%s"%(cmd[f["severity"]],f["path"],f["line"],f["col"],f["rule"],f["message"])
    assert l==want, (l,want)' "$TMP/rules.gh" "$TMP/rules.json"
mkdir -p "$TMP/esc/src"
printf 'x = (%%\n' >"$TMP/esc/src/a,b:c.py"
(cd "$TMP/esc" && "${K[@]}" src --format github -q >"$TMP/esc.gh" 2>/dev/null) || true
check "github: properties escape , and :, data escapes %" grep -qxF \
  "::error file=src/a%2Cb%3Ac.py,line=1,col=1,title=syntax-error::syntax error: unexpected 'x = (%25' (the file is copied unchanged, not instrumented)" \
  "$TMP/esc.gh"
"${K[@]}" rules --format json -o - -q >"$TMP/dash.json" 2>/dev/null || true
check "-o - writes stdout" cmp "$TMP/dash.json" "$TMP/rules.json"

# ---- exit codes -------------------------------------------------------------------------
mkdir -p "$TMP/clean" "$TMP/warn"
printf 'import time\n\n\ndef f():\n    return time.time()\n\n\nf()\n' >"$TMP/clean/ok.py"
printf 'const fs = require("fs");\nmodule.exports = () => fs.readFileSync("x");\n' >"$TMP/clean/ok.js"
printf 'def f():\n    return id(f)\n\n\nf()\n' >"$TMP/warn/w.py"
printf '{"include": 3}\n' >"$TMP/badcfg.json"
mkdir -p "$TMP/badcfg" && cp "$TMP/badcfg.json" "$TMP/badcfg/currant.json" && cp "$TMP/clean/ok.py" "$TMP/badcfg/"
status_is "exit: clean is 0" 0 "${K[@]}" "$TMP/clean"
check "exit: clean prints nothing on stdout" test ! -s "$TMP/cli.out"
status_is "exit: warnings only, default --fail-on error is 0" 0 "${K[@]}" "$TMP/warn"
status_is "exit: --fail-on warning is 1" 1 "${K[@]}" "$TMP/warn" --fail-on warning
status_is "exit: --fail-on note is 1" 1 "${K[@]}" "$TMP/warn" --fail-on note
status_is "exit: errors are 1" 1 "${K[@]}" rules
status_is "exit: --fail-on never is 0" 0 "${K[@]}" rules --fail-on never
status_is "exit: --help is 0" 0 "${K[@]}" --help
check "exit: --help documents the exit status" grep -q 'exit status' "$TMP/cli.out"
status_is "usage: no SRC is 2" 2 "${K[@]}"
status_is "usage: unknown format is 2" 2 "${K[@]}" rules --format xml
status_is "usage: bad --fail-on is 2" 2 "${K[@]}" rules --fail-on fatal
status_is "usage: unknown option is 2" 2 "${K[@]}" rules --bogus
status_is "usage: bad -j is 2" 2 "${K[@]}" rules -j 0
status_is "usage: --affected with --write-baseline is 2" 2 "${K[@]}" rules --affected HEAD --write-baseline "$TMP/x.json"
status_is "error: missing baseline is 2" 2 "${K[@]}" rules --baseline "$TMP/none.json"
echo '[1,2]' >"$TMP/notbaseline.json"
status_is "error: malformed baseline is 2" 2 "${K[@]}" rules --baseline "$TMP/notbaseline.json"
status_is "error: unwritable -o is 2" 2 "${K[@]}" rules -o /proc/currant-no/report.txt
status_is "error: invalid currant.json is 2" 2 "${K[@]}" "$TMP/badcfg"

# ---- baseline ------------------------------------------------------------------------------
B="$TMP/base"
cp -r rules "$B"
status_is "baseline: --write-baseline exits 0" 0 "${K[@]}" "$B" --write-baseline "$TMP/baseline.json"
is "baseline: every finding recorded" "$(jq_py "$TMP/baseline.json" 'len(d["findings"])')" 46
check "baseline: entries carry rule, file, message" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
assert all(set(e)=={"fingerprint","rule","file","message"} for e in d["findings"])' "$TMP/baseline.json"
status_is "baseline: adopted codebase is clean" 0 "${K[@]}" "$B" --baseline "$TMP/baseline.json" --fail-on note
check "baseline: nothing reported" test ! -s "$TMP/cli.out"
# Lines move (a header is inserted), nothing else changes: still baselined.
for f in "$B/app/nondet.py" "$B/web/streams.js"; do
  { if [[ "$f" == *.py ]]; then printf '# header\n# more\n\n'; else printf '// header\n// more\n\n'; fi; cat "$f"; } >"$f.new"
  mv "$f.new" "$f"
done
status_is "baseline: survives moved lines" 0 "${K[@]}" "$B" --baseline "$TMP/baseline.json" --fail-on note
# A new finding is reported; a fixed one turns its entry stale.
printf '\n\ndef fresh():\n    return id(fresh)\n\n\nfresh()\n' >>"$B/app/procs.py"
sed -i 's/    out = os\.popen("ls")\.read().*/    out = None/' "$B/app/procs.py"
"${K[@]}" "$B" --baseline "$TMP/baseline.json" --format json -o "$TMP/b.json" 2>/dev/null || true
check "baseline: only the new finding is reported" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); fs=d["findings"]
assert [(f["file"],f["rule"],f["function"]) for f in fs]==[("app/procs.py","nondeterminism","fresh")], fs
assert d["summary"]["baselined"]==45, d["summary"]' "$TMP/b.json"
check "baseline: the fixed finding is a stale entry (json)" python3 -c '
import json,sys; d=json.load(open(sys.argv[1])); st=d["stale_baseline"]
assert len(st)==1 and st[0]["rule"]=="stale-baseline" and st[0]["severity"]=="note" and st[0]["file"]=="app/procs.py", st
assert "unrecordable-boundary" in st[0]["message"] and d["summary"]["stale"]==1' "$TMP/b.json"
"${K[@]}" "$B" --baseline "$TMP/baseline.json" -q >"$TMP/b.txt" 2>/dev/null || true
check "baseline: stale entry as a text note" grep -qE '^.*app/procs.py: note: stale baseline entry: .*\[stale-baseline\]$' "$TMP/b.txt"
"${K[@]}" "$B" --baseline "$TMP/baseline.json" --format sarif -o "$TMP/b.sarif" 2>/dev/null || true
check "baseline: sarif marks new and absent results" python3 -c '
import json,sys; r=json.load(open(sys.argv[1]))["runs"][0]["results"]
assert sorted((x["ruleId"],x["baselineState"]) for x in r)==[("nondeterminism","new"),("stale-baseline","absent")], r' "$TMP/b.sarif"
[ -d "$CT/node_modules/ajv" ] && check "baseline: that sarif is valid too" env NODE_PATH="$CT/node_modules" node validate_sarif.cjs "$TMP/b.sarif"
status_is "baseline: new warning passes --fail-on error" 0 "${K[@]}" "$B" --baseline "$TMP/baseline.json"
status_is "baseline: new warning fails --fail-on warning" 1 "${K[@]}" "$B" --baseline "$TMP/baseline.json" --fail-on warning
sed -i '/^def fresh/,$d' "$B/app/procs.py"
status_is "baseline: a stale entry alone passes --fail-on warning" 0 "${K[@]}" "$B" --baseline "$TMP/baseline.json" --fail-on warning
status_is "baseline: a stale entry fails --fail-on note" 1 "${K[@]}" "$B" --baseline "$TMP/baseline.json" --fail-on note
"${K[@]}" "$B" --baseline "$TMP/baseline.json" --write-baseline "$TMP/baseline2.json" -q >/dev/null 2>&1 || true
is "baseline: rewriting drops stale entries" "$(jq_py "$TMP/baseline2.json" 'len(d["findings"])')" 45
status_is "baseline: rewritten baseline is clean" 0 "${K[@]}" "$B" --baseline "$TMP/baseline2.json" --fail-on note

# ---- --affected ------------------------------------------------------------------------------
G="$TMP/repo"
mkdir -p "$G/src/lib"
printf 'def helper():\n    return 1\n' >"$G/src/lib/util.py"
printf 'from lib.util import helper\n\n\ndef main():\n    return helper(), id(main)\n\n\nmain()\n' >"$G/src/uses.py"
printf 'from uses import main\n\n\ndef top():\n    return main(), id(top)\n\n\ntop()\n' >"$G/src/top.py"
printf 'def alone():\n    return id(alone)\n\n\nalone()\n' >"$G/src/alone.py"
printf 'def other():\n    return id(other)\n\n\nother()\n' >"$G/src/other.py"
git -C "$G" init -q && git -C "$G" add -A &&
  git -C "$G" -c user.name=t -c user.email=t@t -c commit.gpgsign=false commit -qm base
files_of() { python3 -c 'import json,sys; print(" ".join(sorted({f["file"] for f in json.load(open(sys.argv[1]))["findings"]})))' "$1"; }
"${K[@]}" "$G/src" --affected HEAD --format json -o "$TMP/a0.json" 2>/dev/null || true
is "affected: nothing changed, nothing reported" "$(files_of "$TMP/a0.json")" ""
printf '\n\ndef more():\n    return 2\n' >>"$G/src/lib/util.py"
printf 'def brand_new():\n    return id(brand_new)\n\n\nbrand_new()\n' >"$G/src/new.py"
(cd "$G" && "${K[@]}" src --affected HEAD --format json -o "$TMP/a1.json" 2>"$TMP/a1.err") || true
is "affected: changed + untracked + importers, transitively" "$(files_of "$TMP/a1.json")" "new.py top.py uses.py"
"${K[@]}" "$G/src" --format json -o "$TMP/a-all.json" 2>/dev/null || true
is "affected: without it, every file" "$(files_of "$TMP/a-all.json")" "alone.py new.py other.py top.py uses.py"
"${K[@]}" "$G/src" --write-baseline "$TMP/g-base.json" -q 2>/dev/null || true
sed -i 's/id(other)/hash(other)/' "$G/src/other.py"
git -C "$G" add src/other.py
"${K[@]}" "$G/src" --affected HEAD --baseline "$TMP/g-base.json" --format json -o "$TMP/a2.json" 2>/dev/null || true
check "affected: staged edits count; stale entries only for affected files" python3 -c '
import json,sys; d=json.load(open(sys.argv[1]))
assert [f["file"] for f in d["findings"]]==["other.py"], d["findings"]
assert [s["file"] for s in d["stale_baseline"]]==["other.py"], d["stale_baseline"]' "$TMP/a2.json"
status_is "affected: unknown revision is 2" 2 "${K[@]}" "$G/src" --affected no-such-rev
mkdir -p "$TMP/nogit" && cp "$TMP/clean/ok.py" "$TMP/nogit/"
status_is "affected: outside a git work tree is 2" 2 env GIT_CEILING_DIRECTORIES="$TMP" "${K[@]}" "$TMP/nogit" --affected HEAD

# ---- sanitizers -------------------------------------------------------------------------------
cd "$ROOT"
A="$ASAN_CURRANTC"
if [ -x "$A" ] && ! "$A" check --help >/dev/null 2>&1 && [ -d build/asan/obj ]; then
  mapfile -t aobjs < <(OBJS_OF build/asan/obj/compiler; OBJS_OF build/asan/obj/passes; OBJS_OF build/asan/obj/emit)
  A="$TMP/currantc-check-asan"
  cc -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -std=c11 -D_GNU_SOURCE -pthread "${INC[@]}" \
    tests/check/shim_main.c "${aobjs[@]}" build/asan/vobj/*.o -ljansson -lcrypto -lpthread -o "$A" 2>"$TMP/asan-link.err" ||
    A=""
fi
if [ -n "$A" ] && [ -x "$A" ]; then
  for args in "tests/check/rules --format sarif" "tests/check/suppress --format json" \
    "$B --baseline $TMP/baseline.json --format github"; do
    # shellcheck disable=SC2086
    "$A" check $args >"$TMP/asan.out" 2>"$TMP/asan.err" || true
    if sanitizer_report "$TMP/asan.err"; then bad "asan: check $args" "$(head -c 600 "$TMP/asan.err")"; else ok "asan: check $args"; fi
  done
  (cd "$G" && "$A" check src --affected HEAD >"$TMP/asan.out" 2>"$TMP/asan.err") || true
  if sanitizer_report "$TMP/asan.err"; then bad "asan: --affected" "$(head -c 600 "$TMP/asan.err")"; else ok "asan: --affected"; fi
else
  bad "asan" "no ASan build of check (make build/asan/currantc)"
fi

finish
