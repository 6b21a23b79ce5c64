#!/usr/bin/env bash
# Golden tests: tests/golden.sh [python|javascript]...   (no argument: both)
#
# A case is either
#   tests/golden/<lang>/<case>.{py,js,mjs,cjs}   one file, or
#   tests/golden/<lang>/<case>/                  a multi-file codebase.
# Each is built from inside tests/golden/<lang> with
#   $CURRANTC build <case-file-or-dir> -o TMP      (CURRANTC: build/currantc)
# and compared with its expectations, beside it:
#   file case   <case>.<ext>.out    the instrumented file TMP/<case>.<ext>
#                                   (required; a file the compiler must not
#                                   write is expected as an absent output: then
#                                   no .out file must exist either)
#               <case>.<ext>.map    TMP/<case>.<ext>.map (compared only when
#                                   this expectation exists)
#               <case>.graph.json   TMP/currant.graph.json (required)
#   dir case    <case>.expected/    the whole TMP tree (diff -r), less the
#                                   build cache (.currant-cache/)
#   both        <case>.stderr       the compiler's stderr (NO_COLOR=1; the
#                                   temporary OUT path reads as $OUT); only
#                                   compared when it exists.
# Exit status: 0 is required, except 1 when <case>.stderr exists and holds an
# ": error:" line.  A sanitizer report on stderr always fails the case.
# UPDATE=1 rewrites every expectation from the current compiler (and .map
# files for JS when the compiler writes one).
# Prints a diff for each failure and ends with "N passed, N failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CURRANTC="${CURRANTC:-build/currantc}"
case "$CURRANTC" in /*) ;; *) CURRANTC="$ROOT/$CURRANTC" ;; esac
UPDATE="${UPDATE:-0}"
GOLDEN="$ROOT/tests/golden"
export NO_COLOR=1

langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(python javascript)

passed=0
failed=0
WORK="$(mktemp -d "${TMPDIR:-/tmp}/currant-golden.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# diff a b label: prints a bounded unified diff, returns diff's status.
showdiff() {
  local out
  if out="$(diff -u --label "expected $3" --label "actual $3" "$1" "$2" 2>&1)"; then
    return 0
  fi
  printf '%s\n' "$out" | head -n 80
  local n
  n="$(printf '%s\n' "$out" | wc -l)"
  [ "$n" -le 80 ] || echo "    ... ($n diff lines in all)"
  return 1
}

fail() { # case message
  echo "FAIL golden $1: $2"
}

sanitizer_report() {
  grep -qE 'ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:|SUMMARY: (Address|Undefined|Leak)' "$1"
}

run_case() { # lang kind name src
  local lang="$1" kind="$2" name="$3" src="$4"
  local dir="$GOLDEN/$lang" label="$lang/$src"
  local out="$WORK/out" errf="$WORK/stderr" raw="$WORK/stderr.raw"
  rm -rf "$out"
  local status=0
  (cd "$dir" && timeout 120 "$CURRANTC" build "$src" -o "$out" </dev/null >/dev/null 2>"$raw") || status=$?
  # Make stderr independent of the temporary directory.
  python3 - "$raw" "$errf" "$out" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read().replace(sys.argv[3].encode(), b'$OUT')
open(sys.argv[2], 'wb').write(data)
PY
  local ok=1
  if sanitizer_report "$errf"; then
    fail "$label" "sanitizer report:"; head -n 60 "$errf"; ok=0
  fi

  local exp_err="$dir/$name.stderr"
  local allowed=0
  if [ -f "$exp_err" ] && grep -q ': error:' "$exp_err"; then allowed=1; fi
  if [ "$UPDATE" = 1 ]; then
    if [ -s "$errf" ] || [ -f "$exp_err" ]; then cp "$errf" "$exp_err"; fi
    if [ -f "$exp_err" ] && grep -q ': error:' "$exp_err"; then allowed=1; else allowed=0; fi
  fi
  if [ "$status" -ne "$allowed" ]; then
    fail "$label" "exit status $status, expected $allowed"
    [ -s "$errf" ] && sed -n '1,20p' "$errf"
    ok=0
  fi
  if [ -f "$exp_err" ] && [ "$UPDATE" != 1 ]; then
    showdiff "$exp_err" "$errf" "$name.stderr" || { fail "$label" "stderr differs"; ok=0; }
  fi

  if [ "$kind" = dir ]; then
    local exp="$dir/$name.expected"
    if [ "$UPDATE" = 1 ]; then
      rm -rf "$exp"
      if [ -d "$out" ]; then cp -a "$out" "$exp" && rm -rf "$exp/.currant-cache"; else mkdir -p "$exp"; fi
    fi
    if [ ! -d "$exp" ]; then
      fail "$label" "no expectation $name.expected/ (run with UPDATE=1)"; ok=0
    else
      [ -d "$out" ] || mkdir -p "$out"
      local d
      if ! d="$(diff -r -x .currant-cache "$exp" "$out" 2>&1)"; then
        fail "$label" "output tree differs from $name.expected/:"
        # Unified diffs file by file for files present on both sides.
        (cd "$exp" && find . -type f | LC_ALL=C sort) >"$WORK/l1"
        (cd "$out" && find . -path ./.currant-cache -prune -o -type f -print | LC_ALL=C sort) >"$WORK/l2"
        comm -23 "$WORK/l1" "$WORK/l2" | sed 's/^/    missing from output: /'
        comm -13 "$WORK/l1" "$WORK/l2" | sed 's/^/    not expected: /'
        local f
        while IFS= read -r f; do
          cmp -s "$exp/$f" "$out/$f" || showdiff "$exp/$f" "$out/$f" "${f#./}" || true
        done < <(comm -12 "$WORK/l1" "$WORK/l2")
        ok=0
      fi
    fi
  else
    local ext="${src##*.}"
    local got="$out/$src" exp_out="$dir/$name.$ext.out"
    local got_map="$out/$src.map" exp_map="$dir/$name.$ext.map"
    local got_man="$out/currant.graph.json" exp_man="$dir/$name.graph.json"
    if [ "$UPDATE" = 1 ]; then
      if [ -f "$got" ]; then cp "$got" "$exp_out"; else rm -f "$exp_out"; fi
      if [ -f "$got_map" ]; then cp "$got_map" "$exp_map"; else rm -f "$exp_map"; fi
      if [ -f "$got_man" ]; then cp "$got_man" "$exp_man"; else rm -f "$exp_man"; fi
    fi
    # instrumented file
    if [ -f "$exp_out" ]; then
      if [ -f "$got" ]; then
        showdiff "$exp_out" "$got" "$src" || { fail "$label" "output differs"; ok=0; }
      else
        fail "$label" "no output file $src; OUT holds: $(cd "$out" 2>/dev/null && find . -type f | tr '\n' ' ')"; ok=0
      fi
    elif [ -f "$got" ]; then
      fail "$label" "output $src written but no expectation $name.$ext.out (run with UPDATE=1)"; ok=0
    elif [ "$status" -eq 0 ]; then
      fail "$label" "neither output nor expectation $name.$ext.out"; ok=0
    fi
    # source map
    if [ -f "$exp_map" ]; then
      if [ -f "$got_map" ]; then
        showdiff "$exp_map" "$got_map" "$src.map" || { fail "$label" "source map differs"; ok=0; }
      else
        fail "$label" "no source map $src.map written"; ok=0
      fi
    fi
    # manifest
    if [ -f "$exp_man" ]; then
      if [ -f "$got_man" ]; then
        showdiff "$exp_man" "$got_man" "$name.graph.json" || { fail "$label" "manifest differs"; ok=0; }
      else
        fail "$label" "no currant.graph.json written"; ok=0
      fi
    else
      fail "$label" "no expectation $name.graph.json (run with UPDATE=1)"; ok=0
    fi
  fi

  if [ "$ok" = 1 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
}

if [ ! -x "$CURRANTC" ]; then
  echo "FAIL golden: compiler $CURRANTC not found (run make)"
  echo "0 passed, 1 failed"
  exit 1
fi

for lang in "${langs[@]}"; do
  dir="$GOLDEN/$lang"
  case "$lang" in python|javascript) ;; *)
    echo "FAIL golden: unknown language '$lang' (python or javascript)"; failed=$((failed + 1)); continue ;;
  esac
  n=0
  declare -A seen=()
  if [ -d "$dir" ]; then
    while IFS= read -r entry; do
      base="$(basename "$entry")"
      if [ -d "$entry" ]; then
        case "$base" in *.expected) continue ;; esac
        n=$((n + 1))
        run_case "$lang" dir "$base" "$base"
      else
        case "$lang:$base" in
          python:*.py) name="${base%.py}" ;;
          javascript:*.js|javascript:*.mjs|javascript:*.cjs) name="${base%.*}" ;;
          *) continue ;;
        esac
        n=$((n + 1))
        if [ -n "${seen[$name]:-}" ]; then
          fail "$lang/$base" "case name '$name' also used by ${seen[$name]}: its $name.graph.json would be shared"
          failed=$((failed + 1)); continue
        fi
        seen[$name]="$base"
        run_case "$lang" file "$name" "$base"
      fi
    done < <(find "$dir" -mindepth 1 -maxdepth 1 \( -type f -o -type d \) | LC_ALL=C sort)
  fi
  unset seen
  if [ "$n" -eq 0 ]; then
    echo "FAIL golden: no $lang cases in tests/golden/$lang"
    failed=$((failed + 1))
  fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
