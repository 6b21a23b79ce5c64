#!/usr/bin/env bash
# The runtimes' own unit tests: `python3 -m unittest` under runtime-py/tests
# and `node --test` under runtime-js/test.  Each test counts once; the last
# line is "N passed, N failed" as tests/run_all.sh expects.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
passed=0
failed=0
log="$(mktemp "${TMPDIR:-/tmp}/currant-rt.XXXXXX")"
trap 'rm -f "$log"' EXIT

# Python: "Ran N tests" plus "FAILED (failures=a, errors=b)" when any fail.
# The codec's httpx tests use Debian's httpx, linked for this python3 by
# tests/build.mk (a failed install fails those tests: they never skip).
make -C "$ROOT" -s build/test-clients/py/.installed >"$log" 2>&1 || cat "$log"
(cd "$ROOT/runtime-py" && PYTHONPATH=".:$ROOT/build/test-clients/py" python3 -m unittest discover -s tests -t . >"$log" 2>&1)
ran=$(sed -n 's/^Ran \([0-9]*\) tests\{0,1\}.*/\1/p' "$log" | tail -1)
bad=$(grep -o '\(failures\|errors\)=[0-9]*' "$log" | awk -F= '{s += $2} END {print s + 0}')
ran=${ran:-0}; bad=${bad:-0}
if [ "$ran" -eq 0 ]; then bad=1; fi
[ "$bad" -eq 0 ] || { echo "runtime-py: unittest failures:"; tail -40 "$log"; }
passed=$((passed + ran - (bad > ran ? ran : bad)))
failed=$((failed + bad))
echo "runtime-py: $ran tests, $bad failed"

# JavaScript: node --test prints "# pass N" and "# fail N" (TAP).
(cd "$ROOT/runtime-js" && node --test test/ >"$log" 2>&1)
p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$log" | tail -1)
f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$log" | tail -1)
p=${p:-0}; f=${f:-1}
[ "$f" -eq 0 ] || { echo "runtime-js: node --test failures:"; grep -B2 -A20 '^not ok' "$log" | head -80; }
passed=$((passed + p))
failed=$((failed + f))
echo "runtime-js: $p passed, $f failed"

echo "$passed passed, $failed failed"
