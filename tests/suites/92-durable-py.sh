#!/usr/bin/env bash
# 92-durable-py: `currant` end to end with Python: run, runs, show, inspect,
# replay, fork, divergence, signal/wait_event, durable sleep through serve,
# cancel, retries journaled attempt by attempt, values and errors, bad
# channel input, a corrupt journal, concurrent runs on one journal, and the
# Python sample compiled by currantc (durable output = plain output).
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
LANG_DIR=py
EXT=py
source "$ROOT/coordinator/tests/e2e/common-checks.sh"

# store_before_commit: store.py killed as each checkpoint's commit reaches
# the coordinator (CURRANT_FAULT=child-before: its statement ran, the
# program never hears back) and resumed: the output, and so the database,
# is the uninterrupted run's ($TMP/store.whole, from resume_everywhere).
store_before_commit() {
  local k failed_at="" back="$PWD"
  fresh store-before
  export DATA="$TMP/store.data"
  for k in $(seq 0 11); do
    rm -f "$DATA".*
    (CURRANT_FAULT=child-before:$k "$CURRANT" run --id "store-b$k" "$APP/store.py" >"$TMP/store.out" 2>/dev/null; exit $?) 2>/dev/null || true
    [ "$(field "store-b$k" status)" = crashed ] || failed_at="$failed_at $k(not-crashed)"
    "$CURRANT" resume "store-b$k" >>"$TMP/store.out" 2>/dev/null || failed_at="$failed_at $k(resume)"
    grep -v '^currant:' "$TMP/store.out" | cmp -s - "$TMP/store.whole" || failed_at="$failed_at $k(output)"
  done
  unset DATA
  cd "$back"
  if [ -z "$failed_at" ]; then ok py-store-killed-before-each-commit; else
    bad py-store-killed-before-each-commit "failed at:$failed_at"
  fi
}

# --- processes started before a crash ---------------------------------------
# subprocess.Popen, read through communicate(), readline()/wait()/read(), a
# poll() loop, a failed start: killed after each of the 11 checkpoints and
# resumed, each process that ended before the crash ran once (side file)
# and the output is the uninterrupted run's (before: a Popen could not be
# recorded).
resume_everywhere procs 11 "side 'ran\\nran\\n'"
# A log file written through logging: the records logged while a resumed
# run replays are not written a second time (they were, before).
resume_everywhere logs 8 "log 'step 0 at True\\nstep 1 at True\\nstep 2 at True\\nstep 3 at True\\ndone\\n'"
# Paths made from Paths (compiled here from e2e/py/src/paths.py): writes
# through `base / name`, `.parent`, `with_suffix(...)` and a glob loop's
# elements (also `sorted(...)`'s) are checkpoints, so killed after each of
# the 20 and resumed, every write and removal happened once (DATA.count: one
# line a write).
# SQLite (e2e/py/src/store.py, docs/DATABASES.md): killed after each of its
# 12 checkpoints (after the journal's commit, then as the commit reaches the
# coordinator, before the reply) and resumed, the database ends as after an
# uninterrupted run (store.py prints it through a connection no checkpoint
# made) and so does the output.  The window where the database committed and
# the journal did not is runtime-py's test_database.py's
# (test_live_write_the_database_kept_is_not_run_again): no fault here stops
# the coordinator from committing what it received.
if [ -x "$CURRANTC" ] && "$CURRANTC" build -q -o "$TMP/paths-app" "$E2E/py/src" 2>"$TMP/last"; then
  APP_DIR="$APP" APP="$TMP/paths-app"
  resume_everywhere paths 20 "count 3"
  resume_everywhere store 12 "orders [(1, 'apple', 10), (2, 'pear', 20), (3, 'fig', 30), (4, 'plum', 7)]"
  store_before_commit
  # Email (e2e/py/src/mailer.py): killed after each of its 8 checkpoints and
  # resumed, each of the 3 messages reached the fake SMTP server once.
  if start_fake_smtp "$TMP/mailer.data.mail"; then
    resume_everywhere mailer 8 "sent ['order 0', 'order 1', 'order 2']"
  fi
  # `currant show` says what each statement did, not its journal encoding
  (cd "$TMP/store" && "$CURRANT" show store) >"$TMP/store.show" 2>&1
  has py-store-show-read "read, 1 row \[\[67\]\]" "$TMP/store.show"
  has py-store-show-write "write, rowcount 1, lastrowid 4" "$TMP/store.show"
  # and a journaled error as `Type: message`
  (cd "$TMP/store" && { env -u DATA "$CURRANT" run --id store-nodata "$APP/store.py" >/dev/null 2>&1; "$CURRANT" show store-nodata; }) \
    >"$TMP/store-nodata.show" 2>&1 || true
  has py-show-error-in-words "error +1 +[0-9.]+[mu]?s +KeyError: 'DATA'" "$TMP/store-nodata.show"
  APP="$APP_DIR"
else
  bad py-paths-build "currantc: $(head -c 300 "$TMP/last")"
fi

# --- a file written after the last checkpoint, then a crash -----------------
# The replayed open() rewrites what the dead run wrote after its last
# checkpoint instead of appending it a second time.
export FLAG="$TMP/writer.flag"
rm -f "$FLAG" "$TMP/w.json" "$TMP/w.json.log"
(cur run --id writer "$APP/writer.py" "$TMP/w.json" >/dev/null 2>&1; exit $?) 2>/dev/null || true
status_is py-writer-crashed writer crashed
expect py-writer-resume 0 cur resume writer
if python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == {"n": list(range(20))}' "$TMP/w.json" 2>/dev/null; then
  ok py-writer-file-whole
else
  bad py-writer-file-whole "after resume: $(head -c 200 "$TMP/w.json")"
fi
if [ "$(cat "$TMP/w.json.log")" = once ]; then ok py-writer-append-once; else bad py-writer-append-once "log: $(tr '\n' , <"$TMP/w.json.log")"; fi
# --- a src layout: the bundle's import roots go on PYTHONPATH ---------------
# `from shop.jobs import charge` in src/shop/main.py imports the frozen,
# instrumented src/shop/jobs.py, also when PYTHONPATH already names the
# sources' src (what an editable install gives): its time.time() is a
# checkpoint under the task's.
if [ -x "$CURRANTC" ]; then
  mkdir -p "$TMP/srclayout/src/shop"
  : >"$TMP/srclayout/src/shop/__init__.py"
  printf 'import time\n\nimport currant\n\n\n@currant.task\ndef charge(n):\n    return {"n": n, "t": time.time() > 0}\n' \
    >"$TMP/srclayout/src/shop/jobs.py"
  printf 'from shop.jobs import charge\n\nprint(charge(7))\n' >"$TMP/srclayout/src/shop/main.py"
  if "$CURRANTC" build -q -o "$TMP/srclayout-out" "$TMP/srclayout" 2>"$TMP/last"; then
    expect py-src-layout-run 0 env PYTHONPATH="$TMP/srclayout/src" "$CURRANT" run --id srclayout "$TMP/srclayout-out/src/shop/main.py"
    has py-src-layout-output "'n': 7" "$TMP/last"
    "$CURRANT" show srclayout >"$TMP/last" 2>&1 || true
    has py-src-layout-instrumented-import 'src/shop/jobs.py:[0-9]+ \(charge: time.time\)' "$TMP/last"
  else
    bad py-src-layout-build "currantc: $(head -c 300 "$TMP/last")"
  fi
  # A package at the root (`from app.orders import ...` in app/main.py): the
  # bundle's root goes on PYTHONPATH too, where the build resolved it.
  mkdir -p "$TMP/flat/app"
  : >"$TMP/flat/app/__init__.py"
  cp "$TMP/srclayout/src/shop/jobs.py" "$TMP/flat/app/orders.py"
  printf 'from app.orders import charge\n\nprint(charge(8))\n' >"$TMP/flat/app/main.py"
  if "$CURRANTC" build -q -o "$TMP/flat-out" "$TMP/flat" 2>"$TMP/last"; then
    expect py-flat-layout-run 0 env PYTHONPATH="$TMP/flat" "$CURRANT" run --id flat "$TMP/flat-out/app/main.py"
    "$CURRANT" show flat >"$TMP/last" 2>&1 || true
    has py-flat-layout-instrumented-import 'app/orders.py:[0-9]+ \(charge: time.time\)' "$TMP/last"
  else
    bad py-flat-layout-build "currantc: $(head -c 300 "$TMP/last")"
  fi
fi
# --- requests: HTTP calls through requests are checkpoints -----------------
# A charge posted with requests happens once: the replay and a resume from
# the journal do not post it again, and they get a requests.Response back
# (status, headers, JSON body) as the live run did.
if [ -x "$CURRANTC" ]; then
  if python3 -c 'import requests' 2>/dev/null; then
    H="$TMP/http"
    mkdir -p "$H/app"
    fresh http-journal
    cat >"$H/server.py" <<'PY'
import http.server, json, sys
hits = sys.argv[1]
class Shop(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        with open(hits, "a") as f:
            f.write(self.command + " " + self.path + "\n")
        body = json.dumps({"path": self.path, "ok": True}).encode()
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    do_GET = do_POST = _answer
    def log_message(self, *a):
        pass
srv = http.server.HTTPServer(("127.0.0.1", 0), Shop)
print(srv.server_port, flush=True)
srv.serve_forever()
PY
    printf 'import os\n\nimport requests\n\nbase = os.environ["SHOP_URL"]\nr = requests.post(base + "/charge", json={"n": 1})\nprint("charged", r.status_code, r.json(), r.headers["content-type"], type(r).__name__)\nwith requests.Session() as s:\n    print("status", s.get(base + "/status").json()["path"])\n' >"$H/app/shop.py"
    start_server SHOP_URL "$H/server.py" "$H/hits"
    requests_once py-requests shop "$H/app" shop.py "$H/hits" "POST /charge,GET /status,GET /status," &&
      has py-requests-response "^charged 201 \{'path': '/charge', 'ok': True\} application/json Response" "$TMP/shop.live"
    kill "$server_pid" 2>/dev/null || true
    unset SHOP_URL
  else
    bad py-requests "the python3 on PATH cannot import requests: the requests checks cannot run"
  fi
fi
finish
