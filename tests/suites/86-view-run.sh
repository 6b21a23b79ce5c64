#!/usr/bin/env bash
# 86-view-run: `currant view RUN -o FILE.html` (docs/VIEWS.md): the graph
# page with a run's journal overlaid.  The Python sample is built with
# build/currantc and run durably with build/currant (a temporary --home);
#   command line: exit codes (0, 2 usage, 1 currantc missing), the page has
#                 the run embedded (escaped) next to the graph, a CSP
#   currantc graph --overlay: bad overlays are refused (2), non-html too
#   browser (Debian's chromium, playwright-core, tests/views/browser_test.cjs):
#     site nodes carry the journal's states, functions roll them up, the
#     timeline lists the checkpoints in seq order, clicking an entry selects
#     its node and the panel shows state, attempts and durations; a run whose
#     recorded value holds <img src=x onerror=alert(1)> stays inert; a fork's
#     reused rows are "replayed"; an unfinished durable sleep is "suspended".
# Screenshot: build/views-test/run.png (UPDATE_DOCS=1 copies it to
# docs/view-run.png).  chromium comes from Debian (85-views installs it).
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" view-run
CURRANT="${CURRANT:-$ROOT/build/currant}"
[ -x "$CURRANT" ] || { bad view-run "coordinator $CURRANT not built"; finish || true; exit 1; }
VT="$ROOT/build/views-test"
export CURRANT_QUIET=1 CURRANTC

HAVE_BROWSER=1
[ -x /usr/bin/chromium ] || { HAVE_BROWSER=0; bad tools "/usr/bin/chromium missing (apt-get install chromium; 85-views installs it)"; }
if [ "$HAVE_BROWSER" = 1 ]; then
  mkdir -p "$VT"
  if ! cmp -s tests/views/package-lock.json "$VT/package-lock.json" || [ ! -d "$VT/node_modules/playwright-core" ]; then
    cp tests/views/package.json tests/views/package-lock.json "$VT/"
    (cd "$VT" && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) ||
      { HAVE_BROWSER=0; bad tools "npm ci of tests/views/package-lock.json failed"; }
  fi
fi

# ---- a real run of the sample ------------------------------------------------------
H="$TMP/home" OUT="$TMP/out"
cur() { "$CURRANT" --home "$H" "$@"; }
check "sample builds" "$CURRANTC" build -q -o "$OUT" samples/python
mkdir -p "$TMP/data" "$TMP/x/<img src=x onerror=alert(1)>"
rc=0
(cd "$TMP" && CURRANT_SAMPLE_DIR="$TMP/data" cur run --id vr1 "$OUT/main.py" >"$TMP/run.out" 2>&1) || rc=$?
[ "$rc" = 0 ] && ok "sample run" || bad "sample run" "exit $rc: $(tail -3 "$TMP/run.out")"
(cd "$TMP" && CURRANT_SAMPLE_DIR="$TMP/x/<img src=x onerror=alert(1)>" cur run --id vrx "$OUT/main.py" >/dev/null 2>&1) || true
cur show vr1 --json >"$TMP/vr1.json" || true

status_is() { # status_is NAME WANT CMD...
  local name="$1" want="$2" rc=0
  shift 2
  "$@" >"$TMP/cli.out" 2>"$TMP/cli.err" || rc=$?
  if [ "$rc" = "$want" ]; then ok "$name"; else bad "$name" "exit $rc, want $want: $(head -c 300 "$TMP/cli.err")"; fi
}
status_is "view: writes the page" 0 cur view vr1 -o "$TMP/vr1.html"
status_is "view: run with the payload" 0 cur view vrx -o "$TMP/vrx.html"
status_is "view: missing -o" 2 cur view vr1
status_is "view: missing RUN" 2 cur view
status_is "view: unknown run" 2 cur view nosuchrun -o "$TMP/no.html"
check "view: unknown run writes nothing" test ! -e "$TMP/no.html"
status_is "view: unknown option" 2 cur view vr1 --bogus -o "$TMP/no.html"
status_is "view: currantc missing" 1 env CURRANTC=/nonexistent/currantc "$CURRANT" --home "$H" view vr1 -o "$TMP/no.html"
check "view: currantc missing says how to fix" grep -q 'CURRANTC' "$TMP/cli.err"
check "view: page embeds graph and run, 4 scripts, CSP" python3 -c '
import json, re, sys
t = open(sys.argv[1], encoding="utf-8").read()
assert len(re.findall(r"<script\b", t)) == 4 and len(re.findall(r"</script", t, re.I)) == 4
assert "<!--" not in t and "Content-Security-Policy" in t
run = json.loads(re.search(r"<script type=\"application/json\" id=\"currant-run\">(.*?)</script>", t, re.S).group(1))
want = json.load(open(sys.argv[2]))
assert run["id"] == want["id"] and len(run["checkpoints"]) == len(want["checkpoints"]) > 10' "$TMP/vr1.html" "$TMP/vr1.json"
check "view: payload escaped in the page" python3 -c '
import sys; t = open(sys.argv[1], encoding="utf-8").read()
assert "onerror=alert(1)" in t and "<img" not in t' "$TMP/vrx.html"

# ---- currantc graph --overlay ---------------------------------------------------------
G=("$CURRANTC" graph "$OUT")
echo '{"id": "x"}' >"$TMP/nock.json"
echo 'nope' >"$TMP/notjson.json"
status_is "overlay: without checkpoints" 2 "${G[@]}" --format html --overlay "$TMP/nock.json" -o "$TMP/o.html"
status_is "overlay: not JSON" 2 "${G[@]}" --format html --overlay "$TMP/notjson.json" -o "$TMP/o.html"
status_is "overlay: unreadable" 3 "${G[@]}" --format html --overlay "$TMP/none.json" -o "$TMP/o.html"
status_is "overlay: only with html" 2 "${G[@]}" --format dot --overlay "$TMP/vr1.json"
status_is "overlay: currantc graph --overlay" 0 "${G[@]}" --format html --overlay "$TMP/vr1.json" -o "$TMP/o.html"
check "overlay: same page as currant view" cmp "$TMP/o.html" "$TMP/vr1.html"
status_is "no overlay: page unchanged" 0 "${G[@]}" --format html -o "$TMP/plain.html"
check "no overlay: 3 scripts, no run element" python3 -c '
import sys; t = open(sys.argv[1]).read(); assert t.count("<script") == 3 and "id=\"currant-run\"" not in t' "$TMP/plain.html"

# ---- states the sample run does not reach: a fork, an unfinished sleep ------------------
(cd "$TMP" && CURRANT_SAMPLE_DIR="$TMP/data" cur fork vr1 --from 10 >/dev/null 2>&1) || true
FORK="$(cur runs --json | python3 -c 'import json,sys; print([r["id"] for r in json.load(sys.stdin) if r.get("parent") == "vr1"][0])' 2>/dev/null || true)"
if [ -n "$FORK" ]; then
  status_is "view: a fork" 0 cur view "$FORK" -o "$TMP/fork.html"
else
  bad "fork" "no fork of vr1 in the journal"
fi
# suspended: the sleep's wake time is recorded (key K.0) but not the sleep (K)
check "suspended overlay made" python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
s = [c for c in r["checkpoints"] if c["kind"] == "sleep" and c.get("site_node")][0]
cut = next(i for i, c in enumerate(r["checkpoints"]) if c["key"] == s["key"])
r["checkpoints"] = r["checkpoints"][:cut]
assert r["checkpoints"][-1]["key"] == s["key"] + ".0", r["checkpoints"][-1]["key"]
r["status"] = "suspended"
json.dump(r, open(sys.argv[2], "w"))
json.dump({s["site_node"]["id"]: "suspended"}, open(sys.argv[3], "w"))' "$TMP/vr1.json" "$TMP/susp.json" "$TMP/susp.want"
status_is "overlay: a suspended run" 0 "${G[@]}" --format html --overlay "$TMP/susp.json" -o "$TMP/susp.html"

# ---- the browser --------------------------------------------------------------------------
if [ "$HAVE_BROWSER" = 1 ]; then
  rm -rf "$VT/profile-run"
  python3 -c '
import json, os, sys
tmp, vt, fork = sys.argv[1:4]
states = []
if os.path.exists(tmp + "/susp.want"):
    states.append({"name": "suspended", "html": tmp + "/susp.html", "want": json.load(open(tmp + "/susp.want")),
                   "timeline": {"suspended": 1}})
if fork:
    states.append({"name": "fork", "html": tmp + "/fork.html", "timeline": {"replayed": 10}})
print(json.dumps({"modules": vt + "/node_modules", "profile": vt + "/profile-run",
                  "run": tmp + "/vr1.html", "run_json": tmp + "/vr1.json", "run_xss": tmp + "/vrx.html",
                  "run_screenshot": vt + "/run.png", "run_states": states}))' "$TMP" "$VT" "$FORK" >"$TMP/browser.json"
  sub_counts browser timeout 150 node tests/views/browser_test.cjs "$TMP/browser.json"
  if [ "${UPDATE_DOCS:-0}" = 1 ] && [ -s "$VT/run.png" ]; then cp "$VT/run.png" docs/view-run.png; fi
fi
finish
