#!/usr/bin/env bash
# tools/ci-check.sh — what the composite GitHub Action (action.yml) runs:
# `currantc check` over PATHS, GitHub annotations on the log, and a SARIF
# file for code scanning.  Runnable locally: the same script the tests run.
#
#   CURRANTC   the compiler (default: currantc on PATH, else build/currantc)
#   PATHS      space-separated sources (default: .)
#   FAIL_ON    error|warning|note|never (default: error)
#   BASELINE   baseline file, used when it exists (default: none)
#   SARIF      where to write SARIF (default: currant.sarif)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
currantc=${CURRANTC:-$(command -v currantc || echo "$here/build/currantc")}
read -r -a paths <<<"${PATHS:-.}"
fail_on=${FAIL_ON:-error}
sarif=${SARIF:-currant.sarif}
baseline=()
if [ -n "${BASELINE:-}" ] && [ -f "$BASELINE" ]; then baseline=(--baseline "$BASELINE"); fi

# SARIF first (never fails the step by itself), then the annotations, whose
# exit status is the verdict.
"$currantc" check "${paths[@]}" "${baseline[@]}" --format sarif -o "$sarif" --fail-on never
status=0
"$currantc" check "${paths[@]}" "${baseline[@]}" --format github --fail-on "$fail_on" || status=$?
if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "sarif=$sarif" >>"$GITHUB_OUTPUT"; fi
exit "$status"
