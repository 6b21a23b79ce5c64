#!/usr/bin/env bash
# 85-views: `currantc graph` in every format (docs/VIEWS.md).
#   command line: exit codes 0/2/3, stdout, format from the extension
#   dot: Graphviz parses it (clusters and nodes counted); svg: XML from dot
#   mermaid: structure (tests/views/check_mermaid.py) and a real render with
#            the mermaid package in the browser
#   json: shape against the manifest (tests/views/check_json.py)
#   html: Debian's chromium driven by playwright-core (tests/views/
#         browser_test.cjs): nodes, click -> details, search, edge filters,
#         collapse, XSS payloads inert, a 4,000-node graph; screenshot into
#         build/views-test/graph.png (UPDATE_DOCS=1 copies it to docs/graph.png)
# graphviz and chromium come from Debian when missing; npm packages pinned by
# tests/views/package-lock.json go into build/views-test/node_modules.  A tool
# that cannot be installed is a failure, never a skip.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" views
VT="$ROOT/build/views-test"
G=("$CURRANTC" graph)

# ---- tools ------------------------------------------------------------------
apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "85-views: installing $* from Debian"
  { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" ||
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@"; }; } >/dev/null 2>&1
}
command -v dot >/dev/null || apt_install graphviz || true
[ -x /usr/bin/chromium ] || apt_install chromium || true
HAVE_DOT=1 HAVE_BROWSER=1
command -v dot >/dev/null || { HAVE_DOT=0; bad tools "Graphviz 'dot' missing and could not be installed (apt-get install graphviz)"; }
[ -x /usr/bin/chromium ] || { HAVE_BROWSER=0; bad tools "/usr/bin/chromium missing and could not be installed (apt-get install chromium)"; }

npm_deps() {
  mkdir -p "$VT"
  if ! cmp -s tests/views/package-lock.json "$VT/package-lock.json" || [ ! -d "$VT/node_modules/playwright-core" ]; then
    cp tests/views/package.json tests/views/package-lock.json "$VT/"
    (cd "$VT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1)
  fi
}
if [ "$HAVE_BROWSER" = 1 ] && ! npm_deps; then
  HAVE_BROWSER=0
  bad tools "npm ci of tests/views/package-lock.json (playwright-core, mermaid) failed"
fi

if ! "${G[@]}" --help >/dev/null 2>&1; then
  bad wiring "'currantc graph' is not a command of $CURRANTC (compiler/main.c must call views_command)"
  finish || true
  exit 1
fi

# ---- inputs -------------------------------------------------------------------
S="$TMP/samples" X="$TMP/xss"
"$CURRANTC" build -q -o "$S" samples >/dev/null 2>&1 || true
check "samples manifest" test -s "$S/currant.graph.json"
mkdir -p "$TMP/xsrc"
cat >"$TMP/xsrc/<img src=x onerror=alert(1)>.py" <<'EOF'
import os
import time


def handler():
    key = os.environ["<img src=x onerror=alert(1)>"]
    return time.time(), key
EOF
cat >"$TMP/xsrc/\"><svg onload=alert(2)>.js" <<'EOF'
const fs = require("fs");
function run() {
  const v = process.env["</script><script>alert(3)</script><!--"];
  return fs.readFileSync(`<img src=x onerror=alert(4)>${v}`);
}
module.exports = { run };
EOF
"$CURRANTC" build -q -o "$X" "$TMP/xsrc" >/dev/null 2>&1 || true
check "xss manifest" grep -q 'onerror=alert' "$X/currant.graph.json"
python3 tests/views/gen_manifest.py 4 3 2 --xss >"$TMP/synthetic-xss.manifest"
python3 tests/views/gen_manifest.py 200 5 3 >"$TMP/large.manifest"

# ---- command line ---------------------------------------------------------------
status_is() { # status_is NAME WANT CMD...
  local name="$1" want="$2" rc=0
  shift 2
  "$@" >"$TMP/cli.out" 2>"$TMP/cli.err" || rc=$?
  if [ "$rc" = "$want" ]; then ok "$name"; else bad "$name" "exit $rc, want $want: $(head -c 300 "$TMP/cli.err")"; fi
}
echo '{"format":"something/9","nodes":[],"edges":[]}' >"$TMP/other.json"
echo 'not json' >"$TMP/bad.json"
status_is "cli: --help" 0 "${G[@]}" --help
status_is "cli: missing MANIFEST" 2 "${G[@]}"
status_is "cli: unknown format" 2 "${G[@]}" "$S" --format png
status_is "cli: unknown option" 2 "${G[@]}" "$S" --bogus
status_is "cli: two manifests" 2 "${G[@]}" "$S" "$S"
status_is "cli: bad --collapse" 2 "${G[@]}" "$S" --format html --collapse x
status_is "cli: unreadable manifest" 3 "${G[@]}" "$TMP/nope.json"
status_is "cli: not JSON" 2 "${G[@]}" "$TMP/bad.json"
check "cli: not JSON says where" grep -q 'bad.json:1:' "$TMP/cli.err"
status_is "cli: wrong format field" 2 "${G[@]}" "$TMP/other.json"
status_is "cli: unwritable output" 3 "${G[@]}" "$S" -o /proc/currant-no/graph.dot
status_is "cli: svg without Graphviz" 3 env CURRANT_DOT=/nonexistent/dot "${G[@]}" "$S" --format svg
check "cli: svg without Graphviz names the package" grep -q 'graphviz' "$TMP/cli.err"
# A graph Graphviz takes minutes on is warned about before the wait (a
# stand-in Graphviz, `true`, keeps this test quick); a small one is not.
mkdir -p "$TMP/wide"
python3 -c 'import sys; sys.stdout.writelines(f"def f{i}():\n    return {i}\n" for i in range(10001))' >"$TMP/wide/w.py"
"$CURRANTC" build "$TMP/wide" -o "$TMP/wide-out" -q
status_is "cli: svg of a large graph" 0 env CURRANT_DOT=true "${G[@]}" "$TMP/wide-out" --format svg -o "$TMP/wide.svg"
check "cli: svg of a large graph warns and names html" grep -q 'warning: 10002 nodes: .*--format html' "$TMP/cli.err"
status_is "cli: svg of a small graph" 0 env CURRANT_DOT=true "${G[@]}" "$S" --format svg -o "$TMP/small.svg"
check "cli: svg of a small graph does not warn" test ! -s "$TMP/cli.err"
"${G[@]}" "$S/currant.graph.json" --format dot >"$TMP/stdout.dot" 2>/dev/null || true
"${G[@]}" "$S" --format dot -o "$TMP/file.dot" 2>/dev/null || true
check "cli: stdout equals -o FILE, directory accepted" cmp "$TMP/stdout.dot" "$TMP/file.dot"
"${G[@]}" "$S" -o - --format mermaid >"$TMP/dash.mmd" 2>/dev/null || true
check "cli: -o - writes stdout" grep -q '^flowchart LR$' "$TMP/dash.mmd"
"${G[@]}" "$S" -o "$TMP/infer/graph.html" 2>/dev/null || true
check "cli: format from extension, parents created" grep -q '<!DOCTYPE html>' "$TMP/infer/graph.html"

# ---- every format over three manifests --------------------------------------------
declare -A MAN=([samples]="$S/currant.graph.json" [xss]="$X/currant.graph.json" [synthetic-xss]="$TMP/synthetic-xss.manifest")
for name in samples xss synthetic-xss; do
  m="${MAN[$name]}"
  for f in dot mermaid json html; do
    check "$name: --format $f" "${G[@]}" "$m" --format "$f" -o "$TMP/$name.$f"
  done
  nodes="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["nodes"]))' "$m")"
  files="$(python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print(len({f["path"] for f in m["files"]} | {n["file"] for n in m["nodes"]}))' "$m")"
  if [ "$HAVE_DOT" = 1 ]; then
    check "$name: dot parses the DOT" dot -Tsvg "$TMP/$name.dot" -o "$TMP/$name.dot.svg"
    got="$(grep -c '<g id="clust' "$TMP/$name.dot.svg" || true)"
    [ "$got" = "$files" ] && ok "$name: a cluster per file" || bad "$name: a cluster per file" "$got clusters, $files files"
    got="$(grep -c '<g id="node' "$TMP/$name.dot.svg" || true)"
    [ "$got" = "$nodes" ] && ok "$name: every node in the DOT" || bad "$name: every node in the DOT" "$got of $nodes"
    check "$name: --format svg" "${G[@]}" "$m" --format svg -o "$TMP/$name.svg"
    check "$name: svg is XML with the graph" python3 -c '
import sys, xml.dom.minidom as x
d = x.parse(sys.argv[1]); assert d.documentElement.tagName == "svg"
assert len([g for g in d.getElementsByTagName("g") if g.getAttribute("class").startswith("node ")]) == int(sys.argv[2])' \
      "$TMP/$name.svg" "$nodes"
  fi
  check "$name: mermaid structure" python3 tests/views/check_mermaid.py "$TMP/$name.mermaid" "$m"
  check "$name: json shape" python3 tests/views/check_json.py "$TMP/$name.json" "$m"
  check "$name: html has 3 scripts and a CSP" python3 -c '
import re, sys
t = open(sys.argv[1], encoding="utf-8").read()
assert len(re.findall(r"<script\b", t)) == 3, "scripts"
assert len(re.findall(r"</script", t, re.I)) == 3, "script ends"
assert t.count("<!--") == 0, "comment opener"
assert "Content-Security-Policy" in t and "unsafe-inline" not in t.split("script-src")[1].split(">")[0]' "$TMP/$name.html"
done
if [ "$HAVE_DOT" = 1 ]; then
  check "xss: payloads escaped in the svg" python3 -c '
import sys; t = open(sys.argv[1], encoding="utf-8").read()
assert "&lt;img src=x onerror=alert(1)&gt;" in t and "<img" not in t and "<svg onload" not in t' "$TMP/xss.svg"
fi
check "xss: payloads escaped in the DOT" python3 -c '
import sys; t = open(sys.argv[1], encoding="utf-8").read()
assert "\\\"><svg onload=alert(2)>" in t' "$TMP/xss.dot"
for f in dot mermaid json html; do
  "${G[@]}" "${MAN[samples]}" --format $f -o "$TMP/again.$f" 2>/dev/null || true
  check "deterministic: $f" cmp "$TMP/samples.$f" "$TMP/again.$f"
done
check "page script parses (node --check)" node --check emit/views_page.js
check "large: html" "${G[@]}" "$TMP/large.manifest" --format html -o "$TMP/large.html"

# ---- the browser -----------------------------------------------------------------------
if [ "$HAVE_BROWSER" = 1 ]; then
  rm -rf "$VT/profile"
  python3 - "$TMP" "$VT" >"$TMP/browser.json" <<'EOF'
import json, sys
tmp, vt = sys.argv[1], sys.argv[2]
print(json.dumps({"modules": vt + "/node_modules", "samples": tmp + "/samples.html",
                  "xss": tmp + "/synthetic-xss.html", "xss_real": tmp + "/xss.html",
                  "large": tmp + "/large.html", "profile": vt + "/profile",
                  "mermaid": [tmp + "/samples.mermaid", tmp + "/xss.mermaid", tmp + "/synthetic-xss.mermaid"],
                  "xss_mermaid": tmp + "/xss.mermaid", "screenshot": vt + "/graph.png"}))
EOF
  sub_counts browser timeout 240 node tests/views/browser_test.cjs "$TMP/browser.json"
  if [ "${UPDATE_DOCS:-0}" = 1 ] && [ -s "$VT/graph.png" ]; then cp "$VT/graph.png" docs/graph.png; fi
fi
check "docs/graph.png under 300 KB" test "$(stat -c %s docs/graph.png 2>/dev/null || echo 999999)" -lt 307200
finish
