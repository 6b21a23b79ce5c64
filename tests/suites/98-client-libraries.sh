#!/usr/bin/env bash
# 98-client-libraries: calls through the client libraries programs use, in
# programs with no currant API in them, are checkpoints: the OpenAI and
# Anthropic SDKs (the catalogue's "llm" entries), axios and httpx.  Each program is
# compiled by build/currantc, run under currant against the fake server
# (runtime-py/tests/fake_llm.py), replayed (no request may be sent), then
# killed at every checkpoint in turn (child killed after and before the
# commit, the coordinator killed) and resumed: each case must print what the
# uninterrupted run printed and send the server as many requests, none twice.
# JavaScript uses the real openai, @anthropic-ai/sdk and axios packages,
# pinned in tests/clients/package-lock.json and installed by `npm ci` (make
# target build/test-clients/node_modules/.installed); Python the stand-ins of
# tests/clients/sdk-stub (no PyPI here: its README.md), and Debian's httpx
# (linked for the python3 on PATH by tests/clients/debian-python.sh, make
# target build/test-clients/py/.installed).
source "$(dirname "$0")/../lib/common.sh"
source "$ROOT/coordinator/tests/e2e/lib.sh"
need_currant build/currantc build/test-clients/node_modules/.installed build/test-clients/py/.installed

start_fake_llm
export LLM_ROOT="${CURRANT_LLM_BASE_URL%/v1}"
export PYTHONPATH="$ROOT/tests/clients/sdk-stub:$ROOT/build/test-clients/py${PYTHONPATH:+:$PYTHONPATH}"

SRC="$TMP/src"
mkdir -p "$SRC"
cp "$ROOT"/tests/clients/app/*.py "$ROOT"/tests/clients/app/*.js "$SRC/"
ln -s "$ROOT/build/test-clients/node_modules" "$SRC/node_modules"
if ! "$CURRANTC" build -q -o "$TMP/build" "$SRC" >"$TMP/cc.err" 2>&1; then
  bad clients-compile "currantc build failed"
  sed 's/^/    /' "$TMP/cc.err" | head -10
  finish
  exit 1
fi
check client-calls-are-sites python3 -c '
import json, sys
g = json.load(open(sys.argv[1]))
sites = sorted((n["file"], n["category"], n["callee"]) for n in g["nodes"]
               if n["kind"] == "site" and n["category"] in ("llm", "net"))
want = {"sdk_app.js": ["llm claude.messages.create", "llm openai.chat.completions.create",
                       "llm openai.chat.completions.create", "llm openai.embeddings.create"],
        "sdk_app.py": ["llm aio.chat.completions.create", "llm aio.chat.completions.create",
                       "llm claude.messages.create", "llm client.chat.completions.create",
                       "llm client.chat.completions.create", "llm client.embeddings.create"],
        "axios_app.js": ["net api.post", "net axios", "net axios.post", "net this.http.post"],
        "httpx_app.py": ["net aio.post", "net client.post", "net httpx.post", "net httpx.post",
                         "net self.http.post"]}
got = {f: [f"{k} {c}" for g, k, c in sites if g == f] for f in want}
assert got == want, got' "$TMP/build/currant.graph.json"

# The requests the server got since prep: the side effect that must happen once.
prep() { h0=$(hits); }
sent() { echo "requests: $(($(hits) - h0))"; }

# what each program must print (a line per pattern) and the requests it sends
declare -A WANT=(
  [sdk_app.js]='^openai: \[gpt-test\] plan the day$|^anthropic: \[claude-test\] \[gpt-test\] plan the day 37$|^stream: \[gpt-test\] stream it$|^embedding: 20,91,0.5$'
  [sdk_app.py]='^anthropic: \[claude-test\] \[gpt-test\] plan the day 37$|^stream: \[gpt-test\] stream it$|^async: \[gpt-test\] async$|^async stream: \[gpt-test\] async stream$'
  [axios_app.js]='^post: 200 \[m\] one application/json$|^instance: 200 3,116,0.5$|^config: \[c\] three$|^error: true 404 not found ERR_BAD_REQUEST$'
  [httpx_app.py]='^post: 200 \[m\] one application/json Response$|^client: 200 3.0,116.0,0.5$|^error: 404 not found POST$|^refused: ConnectError$|^async: \[c\] three True OK$'
)
declare -A REQUESTS=([sdk_app.js]=4 [sdk_app.py]=6 [axios_app.js]=4 [httpx_app.py]=4)

for app in sdk_app.js sdk_app.py axios_app.js httpx_app.py; do
  name="${app%.*}-${app##*.}"
  fresh "$name"
  script="$TMP/build/$app"
  # uninterrupted, to see what the program does at all
  h0=$(hits)
  expect "$name-run" 0 "$CURRANT" run --id "whole-$name" "$script"
  cp "$TMP/last" "$TMP/whole-$name.out"
  n=$(($(hits) - h0)) missing=""
  IFS='|' read -ra lines <<<"${WANT[$app]}"
  for line in "${lines[@]}"; do grep -qE "$line" "$TMP/whole-$name.out" || missing="$missing /$line/"; done
  if [ "$n" = "${REQUESTS[$app]}" ] && [ -z "$missing" ]; then ok "$name-answers"; else
    bad "$name-answers" "$n requests (want ${REQUESTS[$app]}), missing$missing; output: $(tr '\n' '|' <"$TMP/whole-$name.out")"
  fi
  # a replay answers every call from the journal
  h0=$(hits)
  expect "$name-replay" 0 "$CURRANT" replay "whole-$name"
  if [ "$(hits)" = "$h0" ] && grep -v '^currant:' "$TMP/last" | cmp -s - "$TMP/whole-$name.out"; then ok "$name-replay-sends-nothing"; else
    bad "$name-replay-sends-nothing" "$(($(hits) - h0)) requests; output: $(tr '\n' '|' <"$TMP/last")"
  fi
  crash_matrix "$name" prep sent "$script"
done
# Email through nodemailer (mail_app.js) against the fake SMTP server: the
# side effect is the messages it received, each once.
if start_fake_smtp "$TMP/mail.sent"; then
  fresh mail-js
  mail_prep() { rm -f "$TMP/mail.sent"; }
  mail_sent() { cat "$TMP/mail.sent" 2>/dev/null || true; }
  mail_prep
  expect mail-js-run 0 "$CURRANT" run --id whole-mail "$TMP/build/mail_app.js"
  if grep -q '^distinct ids: 3$' "$TMP/last" && [ "$(mail_sent | tr '\n' ,)" = "order 0,order 1,order 2," ]; then
    ok mail-js-sends-three
  else
    bad mail-js-sends-three "sent: $(mail_sent | tr '\n' ,); output: $(tr '\n' '|' <"$TMP/last")"
  fi
  mail_prep
  expect mail-js-replay 0 "$CURRANT" replay whole-mail
  if [ -z "$(mail_sent)" ]; then ok mail-js-replay-sends-nothing; else bad mail-js-replay-sends-nothing "sent: $(mail_sent)"; fi
  crash_matrix mail-js mail_prep mail_sent "$TMP/build/mail_app.js"
fi
cd "$ROOT"
finish
