#!/usr/bin/env bash
# 50-roundtrip-python: every .py of the standard library of the python3 on
# PATH (site-packages left out) is instrumented in one build (-j2); then one
# python process checks each file (tests/lib/roundtrip_py.py): outputs of
# inputs CPython accepts compile, files without sites are byte-identical,
# instrumented files keep their line count and every token on its line.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" roundtrip-python
STDLIB="$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')"
echo "stdlib: $STDLIB ($(python3 --version 2>&1))"
n="$(python3 tests/lib/copy_corpus.py "$STDLIB" "$TMP/src" .py)"
echo "copied $n .py files"
if [ "$n" -lt 500 ]; then bad roundtrip-python-corpus "only $n .py files in $STDLIB"; fi
rc=0
t0=$SECONDS
timeout 900 "$CURRANTC" build "$TMP/src" -o "$TMP/out" -j 2 -q </dev/null >"$TMP/build.out" 2>"$TMP/build.err" || rc=$?
echo "currantc build: exit status $rc in $((SECONDS - t0))s, $(grep -c ': error:' "$TMP/build.err" || true) error diagnostics"
case "$rc" in
  0|1) ok roundtrip-python-build ;;
  *) bad roundtrip-python-build "exit status $rc"; head -n 20 "$TMP/build.err" | sed 's/^/    /' ;;
esac
sub_counts roundtrip-py python3 tests/lib/roundtrip_py.py "$TMP/src" "$TMP/out"
finish
