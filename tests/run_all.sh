#!/usr/bin/env bash
# Runs every suite tests/suites/NN-name.sh in order, echoes its output, sums
# their closing "N passed, N failed" lines and ends with the one total line.
# A suite that exits non-zero without counting a failure, prints no count, or
# runs past SUITE_TIMEOUT seconds (default 1500) counts as 1 failed.
# Each suite's own count line is echoed decorated, so that the total is the
# only plain "N passed, N failed" line.  `tests/run_all.sh 20 40` runs only
# the suites whose name starts with one of the arguments.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
exec </dev/null
SUITE_TIMEOUT="${SUITE_TIMEOUT:-1500}"
COUNT_RE='^([A-Za-z0-9_./-]+: *)?([0-9]+) passed, ([0-9]+) failed(, [0-9]+ skipped)?$'

total_pass=0
total_fail=0
summary=()
log="$(mktemp "${TMPDIR:-/tmp}/currant-suite.XXXXXX")"
trap 'rm -f "$log" "$log.rc"' EXIT
start_all=$SECONDS

mapfile -t suites < <(find tests/suites -maxdepth 1 -name '[0-9][0-9]-*.sh' -type f | LC_ALL=C sort)
if [ $# -gt 0 ]; then
  keep=()
  for s in "${suites[@]}"; do
    for p in "$@"; do
      case "$(basename "$s")" in "$p"*) keep+=("$s"); break ;; esac
    done
  done
  suites=("${keep[@]}")
fi

for s in "${suites[@]}"; do
  name="$(basename "$s" .sh)"
  echo "=== suite $name"
  t0=$SECONDS
  rc=0
  # The suite's own count lines are decorated on the way to the terminal.
  { r=0; timeout --kill-after=30 "$SUITE_TIMEOUT" bash "$s" </dev/null 2>&1 || r=$?; echo "$r" >"$log.rc"; } |
    tee "$log" | sed -u -E "s#$COUNT_RE#    [$name] &#"
  rc="$(cat "$log.rc" 2>/dev/null || echo 99)"
  line="$(grep -E "$COUNT_RE" "$log" | tail -n 1 || true)"
  p=0 f=0 note=""
  if [ -n "$line" ]; then
    p="$(printf '%s\n' "$line" | sed -E "s#$COUNT_RE#\\2#")"
    f="$(printf '%s\n' "$line" | sed -E "s#$COUNT_RE#\\3#")"
  else
    note=" (no count line)"
    f=1
  fi
  if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    note="$note (timed out after ${SUITE_TIMEOUT}s)"
    f=$((f + 1))
  elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    note="$note (exit status $rc)"
    f=1
  fi
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  summary+=("$(printf '  %-22s %6s passed %4s failed  %4ss%s' "$name" "$p" "$f" "$((SECONDS - t0))" "$note")")
done

echo "=== summary ($((SECONDS - start_all))s)"
[ ${#summary[@]} -gt 0 ] && printf '%s\n' "${summary[@]}"
if [ ${#suites[@]} -eq 0 ]; then
  echo "  no suite found in tests/suites"
  total_fail=$((total_fail + 1))
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
