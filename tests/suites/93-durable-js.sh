#!/usr/bin/env bash
# 93-durable-js: `currant` end to end with JavaScript (the checks of
# 92-durable-py.sh that apply, on the JS fixtures and the JS sample).
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
LANG_DIR=js
EXT=js
source "$ROOT/coordinator/tests/e2e/common-checks.sh"

# --- calls that write into the caller's array replay into it ----------------
# getRandomValues / randomFillSync / randomFill write into their argument,
# fs.readSync / fs.read into their buffer: the replay prints the bytes the
# run printed (a Uint32Array too), though the file read changed since.
fresh fillers
export FILLERS_DATA="$TMP/fillers.data"
printf 'first contents\n' >"$FILLERS_DATA"
expect js-fillers-run 0 cur run --id fillers "$APP/fillers.js"
grep -v '^currant:' "$TMP/last" >"$TMP/fillers.live" || true
printf 'CHANGED SINCE!!\n' >"$FILLERS_DATA"
expect js-fillers-replay 0 cur replay fillers
grep -v '^currant:' "$TMP/last" >"$TMP/fillers.replayed" || true
if grep -q 'true' "$TMP/fillers.live" && cmp -s "$TMP/fillers.live" "$TMP/fillers.replayed"; then ok js-fillers-same-bytes; else
  bad js-fillers-same-bytes "run: $(tr '\n' '|' <"$TMP/fillers.live") replay: $(tr '\n' '|' <"$TMP/fillers.replayed")"
fi
unset FILLERS_DATA
cd "$ROOT"

# --- files, streams and processes opened before a crash, used after it ----
# fs.openSync descriptors and an fs.promises.open FileHandle, written and
# read (before: EBADF on the first live call after a resume; a FileHandle
# could not be recorded at all).
resume_everywhere files 15 'files one|two| alpha|beta|'
# fs.createWriteStream in w and a modes, fs.createReadStream (before: no
# stream could be recorded).
resume_everywhere streams 10 'app "appended\nappended again\n"'
# child_process.spawn and exec without a callback: each process runs once
# (each appends "ran" to a side file), a failed spawn replays its error
# (before: a ChildProcess could not be recorded).
resume_everywhere procs 7 'side "ran\nran\nran\n"'

# --- a readline Interface across a crash ------------------------------------
# createInterface is made again on resume; question()'s answers before the
# crash replay from the journal, so the resumed run reads only the rest
# (before: the Interface could not be recorded, and an answer was journaled
# as undefined, the callback's argument lost).
fresh ask
expect js-ask-run 0 sh -c "printf 'ann\\nbob\\n' | \"$CURRANT\" run --id ask \"$APP/ask.js\""
grep -v '^currant:' "$TMP/last" >"$TMP/ask.whole" || true
has js-ask-answers '^again\? bye bob$' "$TMP/ask.whole"
for k in 0 1 2; do
  left='bob\n'
  [ "$k" != 0 ] || left='ann\nbob\n'
  (printf 'ann\nbob\n' | CURRANT_FAULT=child:$k "$CURRANT" run --id "ask$k" "$APP/ask.js" >"$TMP/ask.out" 2>/dev/null; exit $?) 2>/dev/null || true
  printf "$left" | "$CURRANT" resume "ask$k" >>"$TMP/ask.out" 2>"$TMP/last" || true
  if grep -v '^currant:' "$TMP/ask.out" | cmp -s - "$TMP/ask.whole"; then ok "js-ask-resume-$k"; else
    bad "js-ask-resume-$k" "run + resume: $(tr '\n' '|' <"$TMP/ask.out"), whole: $(tr '\n' '|' <"$TMP/ask.whole")"
  fi
done
# Lines read by async iteration are read live again (the same input given
# to the resume); the replayed Interface must not hold them back while the
# run replays (it did: the resumed run read nothing and exited).
export DATA="$TMP/lines.side"
rm -f "$DATA"
(printf 'a\nb\nc\n' | CURRANT_FAULT=child:3 "$CURRANT" run --id lines "$APP/lines.js" >/dev/null 2>&1; exit $?) 2>/dev/null || true
expect js-lines-resume 0 sh -c "printf 'a\\nb\\nc\\n' | \"$CURRANT\" resume lines"
has js-lines-all-read '^lines 3$' "$TMP/last"
if [ "$(tr '\n' , <"$DATA")" = "a,b,c," ]; then ok js-lines-side-once; else bad js-lines-side-once "side file: $(tr '\n' , <"$DATA")"; fi
unset DATA
cd "$ROOT"
# --- a monorepo: workspace packages by name load from the bundle -----------
# node_modules/@acme/utils links the uninstrumented sources, as npm
# workspaces install it; `currant run` links the name to the bundle's
# instrumented copy, so the task's Date.now() is a checkpoint under it.
if [ -x "$CURRANTC" ]; then
  M="$TMP/mono"
  mkdir -p "$M/packages/utils" "$M/packages/app" "$M/node_modules/@acme"
  printf '{"name": "mono", "private": true, "workspaces": ["packages/*"]}\n' >"$M/package.json"
  printf '{"name": "@acme/utils", "main": "index.js"}\n' >"$M/packages/utils/package.json"
  printf 'const { task } = require("currant");\nexports.charge = task(function charge(n) { return { n, at: Date.now() > 0 }; });\n' \
    >"$M/packages/utils/index.js"
  printf 'const { charge } = require("@acme/utils");\nconsole.log(JSON.stringify(charge(9)));\n' >"$M/packages/app/main.js"
  ln -s ../../packages/utils "$M/node_modules/@acme/utils"
  if "$CURRANTC" build -q -o "$M/out" "$M" 2>"$TMP/last"; then
    cd "$M"
    expect js-workspace-run 0 "$CURRANT" run --id mono out/packages/app/main.js
    has js-workspace-output '"n":9' "$TMP/last"
    "$CURRANT" show mono >"$TMP/last" 2>&1 || true
    cd "$ROOT"
    has js-workspace-instrumented-import 'packages/utils/index.js:[0-9]+ \(charge: Date.now\)' "$TMP/last"
  else
    bad js-workspace-build "currantc: $(head -c 300 "$TMP/last")"
  fi
fi
# --- dependencies in node_modules, at the root and in a package -----------
# currantc links each node_modules of the sources at its place in OUT, and
# `currant run` keeps the links in the bundle: the packages load with OUT
# built outside the project and the run started from another directory.
if [ -x "$CURRANTC" ]; then
  D="$TMP/deps"
  mkdir -p "$D/proj/node_modules/leftpad" "$D/proj/tools/node_modules/shout" "$D/elsewhere"
  printf 'module.exports = (s, n) => String(s).padStart(n, "0");\n' >"$D/proj/node_modules/leftpad/index.js"
  printf 'module.exports = (s) => s.toUpperCase() + "!";\n' >"$D/proj/tools/node_modules/shout/index.js"
  printf 'const shout = require("shout");\nexports.stamp = () => shout("at " + (Date.now() > 0));\n' >"$D/proj/tools/stamp.js"
  printf 'const pad = require("leftpad");\nconst { stamp } = require("./tools/stamp");\nconsole.log(pad(7, 3), stamp());\n' >"$D/proj/main.js"
  printf 'node_modules/\n' >"$D/proj/.gitignore"
  if "$CURRANTC" build -q -o "$D/out" "$D/proj" 2>"$TMP/last"; then
    if [ "$(readlink "$D/out/node_modules")" = "$(cd "$D/proj/node_modules" && pwd -P)" ] &&
      [ "$(readlink "$D/out/tools/node_modules")" = "$(cd "$D/proj/tools/node_modules" && pwd -P)" ]; then
      ok js-deps-linked-in-out
    else
      bad js-deps-linked-in-out "OUT: $(ls -la "$D/out" "$D/out/tools" 2>&1 | grep node_modules | tr '\n' ' ')"
    fi
    cd "$D/elsewhere"
    expect js-deps-run 0 "$CURRANT" run --id deps "$D/out/main.js"
    has js-deps-output '^007 AT TRUE!$' "$TMP/last"
    "$CURRANT" show deps >"$TMP/last" 2>&1 || true
    has js-deps-instrumented 'tools/stamp.js:[0-9]+ \(stamp: Date.now\)' "$TMP/last"
    cd "$ROOT"
  else
    bad js-deps-build "currantc: $(head -c 300 "$TMP/last")"
  fi
fi
# --- http.get/request with a callback ------------------------------------
# The response is read whole and recorded when the callback would get it;
# replay and fork hand the callback a stream of the recorded response, and
# the server sees each request once.
if [ -x "$CURRANTC" ]; then
  H="$TMP/http"
  mkdir -p "$H/app"
  fresh http-journal
  cat >"$H/server.js" <<'JS'
const http = require("http");
const fs = require("fs");
const srv = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    fs.appendFileSync(process.argv[2], `${req.method} ${req.url} ${body}\n`);
    res.writeHead(req.method === "POST" ? 201 : 200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ path: req.url, got: body }));
  });
});
srv.listen(0, "127.0.0.1", () => console.log(srv.address().port));
JS
  cat >"$H/app/shop.js" <<'JS'
const http = require("http");
const base = process.env.SHOP_URL;
http.get(base + "/status", (res) => {
  let body = "";
  res.setEncoding("utf8");
  res.on("data", (c) => (body += c));
  res.on("end", () => {
    console.log("get", res.statusCode, res.headers["content-type"], body);
    const req = http.request(base + "/charge", { method: "POST" }, (res2) => {
      const chunks = [];
      res2.on("data", (c) => chunks.push(c));
      res2.on("end", () => console.log("post", res2.statusCode, Buffer.concat(chunks).toString()));
    });
    req.write("n=1");
    req.end();
  });
});
JS
  start_server SHOP_URL "$H/server.js" "$H/hits" node
  requests_once js-http http "$H/app" shop.js "$H/hits" "GET /status ,POST /charge n=1,POST /charge n=1," &&
    has js-http-response '^post 201 \{"path":"/charge","got":"n=1"\}$' "$TMP/http.live"
  kill "$server_pid" 2>/dev/null || true
  unset SHOP_URL
fi
finish
