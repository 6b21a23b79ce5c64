#!/usr/bin/env bash
# 84-install: `make install` honours PREFIX and DESTDIR and the installed
# tools work from there (currantc builds, currant finds the installed
# runtimes and runs a durable script); the composite action's script
# (tools/ci-check.sh) and the pre-commit hook's entry command, run locally,
# report and fail as documented.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" install
DEST="$TMP/dest"
if make --no-print-directory install DESTDIR="$DEST" PREFIX=/opt/currant >"$TMP/install.log" 2>&1; then
  ok install-runs
else
  bad install-runs "$(tail -5 "$TMP/install.log")"
fi
BIN="$DEST/opt/currant/bin"
for f in bin/currantc bin/currant share/currant/runtime-py/currant/__init__.py \
         share/currant/runtime-js/package.json share/doc/currant/README.md; do
  if [ -e "$DEST/opt/currant/$f" ]; then ok "installed-$f"; else bad "installed-$f" "missing"; fi
done
if find "$DEST" -name tests -o -name __pycache__ | grep -q .; then
  bad install-no-tests "tests or __pycache__ were installed"
else
  ok install-no-tests
fi
check installed-currantc-version "$BIN/currantc" --version
mkdir -p "$TMP/app"
printf 'import random\nprint("ok", random.random() < 2)\n' >"$TMP/app/main.py"
check installed-currantc-build "$BIN/currantc" build "$TMP/app" -o "$TMP/app-out" -q
# The installed coordinator must find the installed runtime, not the repo's.
out=$(cd "$TMP" && CURRANT_QUIET=1 "$BIN/currant" --home "$TMP/home" run "$TMP/app-out/main.py" 2>&1) || true
if [ "$out" = "ok True" ]; then ok installed-currant-run; else bad installed-currant-run "got: $out"; fi

# The action's script on a codebase with a warning: annotations, SARIF, and
# the exit status --fail-on asks for.
mkdir -p "$TMP/ci"
printf 'import threading\n\ndef f():\n    threading.Thread(target=print).start()\n\nf()\n' >"$TMP/ci/app.py"
run_ci() { # FAIL_ON: sets CI_RC, CI_OUT
  CI_RC=0
  CI_OUT=$(cd "$TMP/ci" && CURRANTC="$CURRANTC" FAIL_ON="$1" GITHUB_OUTPUT="$TMP/ci/gh-out" \
    "$ROOT/tools/ci-check.sh" 2>&1) || CI_RC=$?
}
run_ci error
if [ "$CI_RC" = 0 ] && grep -q '^::warning file=app.py,line=4' <<<"$CI_OUT"; then ok action-annotates
else bad action-annotates "rc=$CI_RC: $CI_OUT"; fi
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"]=="2.1.0" and d["runs"][0]["results"]' \
   "$TMP/ci/currant.sarif" 2>/dev/null; then ok action-writes-sarif; else bad action-writes-sarif "no SARIF results"; fi
if grep -qx 'sarif=currant.sarif' "$TMP/ci/gh-out"; then ok action-output; else bad action-output "no sarif output"; fi
run_ci warning
if [ "$CI_RC" = 1 ]; then ok action-fails-on-warning; else bad action-fails-on-warning "rc=$CI_RC"; fi

# The pre-commit hook: its entry, with staged file names appended.
entry=$(sed -n 's/^ *entry: *//p' .pre-commit-hooks.yaml)
if [ "${entry%% *}" = currantc ]; then ok hook-entry; else bad hook-entry "entry: $entry"; fi
hook_rc=0
(cd "$TMP/ci" && PATH="$(dirname "$CURRANTC"):$PATH" $entry app.py >/dev/null 2>&1) || hook_rc=$?
if [ "$hook_rc" = 0 ]; then ok hook-passes-warnings; else bad hook-passes-warnings "rc=$hook_rc"; fi
printf 'def broken(:\n' >"$TMP/ci/bad.py"
hook_rc=0
(cd "$TMP/ci" && PATH="$(dirname "$CURRANTC"):$PATH" $entry app.py bad.py >/dev/null 2>&1) || hook_rc=$?
if [ "$hook_rc" = 1 ]; then ok hook-fails-on-error; else bad hook-fails-on-error "rc=$hook_rc"; fi
finish
