#!/usr/bin/env bash
# 84-install: `make install` honours PREFIX and DESTDIR and the installed
# tools work from there (currantc builds, currant finds the installed
# runtimes and runs a durable script); the man pages are installed, render
# without groff warnings and name every command and long option their
# program's --help lists; the composite action's script
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
         share/currant/runtime-js/package.json share/doc/currant/README.md \
         share/man/man1/currantc.1 share/man/man1/currant.1; do
  if [ -e "$DEST/opt/currant/$f" ]; then ok "installed-$f"; else bad "installed-$f" "missing"; fi
done
if find "$DEST" -name tests | grep -q .; then
  bad install-no-tests "tests were installed"
else
  ok install-no-tests
fi
# The runtime is byte-compiled where it is installed (nothing from the
# repository's caches): one .pyc per installed module, nowhere else.
pyc=$(find "$DEST" -name '*.pyc' | sed -E 's#/__pycache__/([^./]+)\.[^/]*\.pyc$#/\1.py#' | sort)
py=$(find "$DEST/opt/currant/share/currant/runtime-py" -name '*.py' | sort)
if [ -n "$py" ] && [ "$pyc" = "$py" ]; then ok install-runtime-compiled; else
  bad install-runtime-compiled "the .pyc files do not match the installed modules one to one"
fi
check installed-currantc-version "$BIN/currantc" --version
mkdir -p "$TMP/app"
printf 'import random\nprint("ok", random.random() < 2)\n' >"$TMP/app/main.py"
check installed-currantc-build "$BIN/currantc" build "$TMP/app" -o "$TMP/app-out" -q
# The installed coordinator must find the installed runtime, not the repo's.
out=$(cd "$TMP" && CURRANT_QUIET=1 "$BIN/currant" --home "$TMP/home" run "$TMP/app-out/main.py" 2>&1) || true
if [ "$out" = "ok True" ]; then ok installed-currant-run; else bad installed-currant-run "got: $out"; fi

# The man pages: no groff warning on either terminal device, and no drift
# from --help.  Every command a usage text lists has its own .SS, and every
# long option a help text mentions appears, as a whole word, in the rendered
# page (rendered without hyphenation, so no option is split at a line end).
MAN1="$DEST/opt/currant/share/man/man1"
help_commands() { # the commands of a usage text: "currantc build ..." lines, or "commands:" entries
  sed -n -e 's/^\(usage:\)\{0,1\}  *currantc \([a-z][a-z-]*\).*/\2/p' \
         -e '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' | sort -u
}
man_sections() { # the first word of each .SS title under COMMANDS, a leading program name dropped
  sed -n '/^\.SH COMMANDS/,/^\.SH /s/^\.SS  *"\{0,1\}//p' "$1" | sed -e 's/^currantc //' -e 's/[^a-z-].*//' | sort -u
}
check_man_page() { # NAME PAGE HELP-TEXT: the page against its program's help
  local name="$1" page="$2" help="$3" text missing="" w dev
  for dev in utf8 ascii; do
    w=$(LC_ALL=C.UTF-8 groff -man -ww -z -T"$dev" "$page" 2>&1)
    if [ -z "$w" ]; then ok "man-$name-renders-$dev"; else bad "man-$name-renders-$dev" "$w"; fi
  done
  text=$(groff -man -rHY=0 -Tascii -P-cbou "$page" 2>/dev/null)
  for w in $(help_commands <<<"$help"); do
    man_sections "$page" | grep -qx -- "$w" || missing+=" command:$w"
  done
  for w in $(grep -oE -- '--[a-z][a-z-]*[a-z]' <<<"$help" | sort -u); do
    grep -qE -- "(^|[^a-z-])$w([^a-z-]|\$)" <<<"$text" || missing+=" $w"
  done
  if [ "$(help_commands <<<"$help" | wc -l)" -lt 4 ]; then
    bad "man-$name-matches-help" "found too few commands in the help text: $(help_commands <<<"$help" | tr '\n' ' ')"
  elif [ -z "$missing" ]; then
    ok "man-$name-matches-help"
  else
    bad "man-$name-matches-help" "$page lacks:$missing"
  fi
}
if ! command -v groff >/dev/null; then
  bad man-pages "groff is not installed (tools/install-deps.sh installs Debian's groff-base)"
elif [ -f "$MAN1/currantc.1" ] && [ -f "$MAN1/currant.1" ]; then
  check_man_page currantc "$MAN1/currantc.1" \
    "$("$BIN/currantc" --help; "$BIN/currantc" check --help; "$BIN/currantc" graph --help)"
  check_man_page currant "$MAN1/currant.1" "$("$BIN/currant" --help)"
fi

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
