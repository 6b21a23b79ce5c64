# tests/lib/common.sh — sourced by tests/suites/*.sh.
# Counting:   ok NAME | bad NAME MESSAGE... | check NAME CMD... |
#             sub_counts LABEL CMD... (adds a runner's "N passed, N failed")
# and         finish   (prints the suite's "N passed, N failed", sets status).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export NO_COLOR=1
CURRANTC="${CURRANTC:-$ROOT/build/currantc}"
ASAN_CURRANTC="${ASAN_CURRANTC:-$ROOT/build/asan/currantc}"
# Sanitizers: any report is fatal and distinguishable (exit 86), leaks too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:exitcode=86:abort_on_error=0:color=never:strict_string_checks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-exitcode=86}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=86:color=never}"
PASSED=0
FAILED=0
VERBOSE="${VERBOSE:-0}"

ok() {
  PASSED=$((PASSED + 1))
  [ "$VERBOSE" = 0 ] || echo "ok   $1"
  return 0
}
bad() {
  FAILED=$((FAILED + 1))
  local name="$1"
  shift
  echo "FAIL $name: $*"
  return 0
}
# check NAME CMD...: one test, passed when CMD succeeds (its output is shown on failure).
check() {
  local name="$1" out
  shift
  if out="$("$@" 2>&1)"; then
    ok "$name"
  else
    bad "$name" "command failed: $*"
    printf '%s\n' "$out" | head -n 40 | sed 's/^/    /'
  fi
}
# sub_counts LABEL CMD...: runs a runner that ends with "N passed, N failed",
# echoes its output (its count line as "LABEL: ...") and adds the counts; a
# runner that prints no count line, or exits non-zero with 0 failed, adds 1 failed.
sub_counts() {
  local label="$1" out rc=0 line p f
  shift
  out="$("$@" 2>&1)" || rc=$?
  line="$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed$' | tail -n 1 || true)"
  printf '%s\n' "$out" | grep -vE '^[0-9]+ passed, [0-9]+ failed$' || true
  if [ -z "$line" ]; then
    bad "$label" "no 'N passed, N failed' line (exit status $rc)"
    return 0
  fi
  p="${line%% passed*}"
  f="${line#*passed, }"
  f="${f%% failed*}"
  echo "  ($label: $p passed, $f failed)"
  PASSED=$((PASSED + p))
  FAILED=$((FAILED + f))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then bad "$label" "exit status $rc"; fi
  return 0
}
finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
# mk TARGET...: builds make targets (outside the jobserver of a calling make).
mk() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory "$@"
}
# sanitizer_report FILE: true when FILE holds a sanitizer report.
sanitizer_report() {
  grep -qE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:|SUMMARY: (Address|Undefined|Leak)Sanitizer' "$1"
}
# need_compiler PATH LABEL: fails the suite early (one failure) when missing.
need_compiler() {
  if [ ! -x "$1" ]; then
    bad "$2" "compiler $1 not built"
    finish || true
    exit 1
  fi
}
# Temporary directory for the suite, removed at exit (keep with KEEP_TMP=1).
TMP="$(mktemp -d "${TMPDIR:-/tmp}/currant-test.XXXXXX")"
cleanup_tmp() {
  if [ "${KEEP_TMP:-0}" = 1 ]; then
    echo "(kept $TMP)"
  else
    chmod -R u+rwx "$TMP" 2>/dev/null || true
    rm -rf "$TMP"
  fi
}
trap cleanup_tmp EXIT

# build_corpus NAME SRC OUT: currantc build SRC -o OUT -j 2, timed and
# summarised; counts NAME-build as passed when the exit status is 0 or 1
# (1: some inputs had errors, reported and copied unchanged).
build_corpus() {
  local name="$1" src="$2" out="$3" rc=0 t0=$SECONDS
  timeout 900 "$CURRANTC" build "$src" -o "$out" -j 2 -q </dev/null >"$TMP/build.out" 2>"$TMP/build.err" || rc=$?
  echo "currantc build: exit status $rc in $((SECONDS - t0))s, $(grep -c ': error:' "$TMP/build.err" || true) error diagnostics"
  case "$rc" in
    0|1) ok "$name-build" ;;
    *) bad "$name-build" "exit status $rc"; head -n 20 "$TMP/build.err" | sed 's/^/    /' ;;
  esac
}
