#!/usr/bin/env bash
# 30-asan: the ASan+UBSan compiler (build/asan/currantc) over the goldens,
# the samples, the bad-input corpus (one -j2 build), the Python standard
# library and the global npm tree, and the fuzz harness (gcc build,
# build/fuzz/fuzz-replay) over its seed corpus.  Any sanitizer report or
# leak fails; so does a crash or an exit status other than 0/1.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$ASAN_CURRANTC" asan

sub_counts asan-golden-python env CURRANTC="$ASAN_CURRANTC" tests/golden.sh python
sub_counts asan-golden-javascript env CURRANTC="$ASAN_CURRANTC" tests/golden.sh javascript

# asan_build NAME WANT_RC... -- ARGS...: one build, one test.
asan_build() {
  local name="$1" want=() rc=0
  shift
  while [ "$1" != -- ]; do want+=("$1"); shift; done
  shift
  local err="$TMP/$name.err"
  timeout 1200 "$ASAN_CURRANTC" build "$@" </dev/null >/dev/null 2>"$err" || rc=$?
  local okrc=0 w
  for w in "${want[@]}"; do [ "$rc" = "$w" ] && okrc=1; done
  if sanitizer_report "$err"; then
    bad "$name" "sanitizer report:"
    grep -m 3 -E -A 12 'ERROR: |runtime error:' "$err" | head -n 40 | sed 's/^/    /'
  elif [ "$okrc" = 0 ]; then
    bad "$name" "exit status $rc, expected ${want[*]}"
    head -n 10 "$err" | sed 's/^/    /'
  else
    ok "$name"
  fi
}

for s in samples/*/; do
  s="${s%/}"
  asan_build "asan-sample-$(basename "$s")" 0 -- "$s" -o "$TMP/sample-$(basename "$s")" -j 2
done
python3 tests/lib/gen_bad_input.py "$TMP/bad"
asan_build asan-bad-input-corpus 1 -- "$TMP/bad" -o "$TMP/bad-out" -j 2
STDLIB="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
python3 tests/lib/copy_corpus.py "$STDLIB" "$TMP/stdlib" .py >/dev/null
asan_build asan-python-stdlib 0 1 -- "$TMP/stdlib" -o "$TMP/stdlib-out" -j 2 -q
rm -rf "$TMP/stdlib" "$TMP/stdlib-out"
python3 tests/lib/copy_corpus.py "$(npm root -g 2>/dev/null)" "$TMP/npm" .js .mjs .cjs >/dev/null
asan_build asan-npm-global 0 1 -- "$TMP/npm" -o "$TMP/npm-out" -j 2 -q
rm -rf "$TMP/npm" "$TMP/npm-out"

# The fuzz harness: built (gcc, ASan+UBSan) and run once over the seeds
# (goldens, samples) and the bad-input corpus.
if ! out="$(mk build/fuzz/fuzz-replay 2>&1)"; then
  bad fuzz-harness-build "make build/fuzz/fuzz-replay failed:"
  printf '%s\n' "$out" | tail -n 30 | sed 's/^/    /'
else
  tests/fuzz/make_seeds.sh "$TMP/seeds" >/dev/null
  k=0
  while IFS= read -r -d '' f; do
    case "$f" in *.py) b='\000' ;; *.js) b='\001' ;; *.mjs) b='\002' ;; *.cjs) b='\003' ;; *) continue ;; esac
    k=$((k + 1))
    { printf "$b"; cat "$f"; } >"$TMP/seeds/bad-$k"
  done < <(find "$TMP/bad" -type f -print0 | LC_ALL=C sort -z)
  rc=0
  timeout 900 build/fuzz/fuzz-replay "$TMP/seeds" >"$TMP/replay.out" 2>"$TMP/replay.err" || rc=$?
  if sanitizer_report "$TMP/replay.err" || [ "$rc" -ne 0 ]; then
    bad fuzz-harness-replay "exit status $rc:"
    grep -m 3 -E -A 12 'ERROR: |runtime error:|invariant' "$TMP/replay.err" | head -n 40 | sed 's/^/    /'
  else
    ok fuzz-harness-replay
    cat "$TMP/replay.out"
  fi
fi
finish
