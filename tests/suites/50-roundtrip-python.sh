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
build_corpus roundtrip-python "$TMP/src" "$TMP/out"
sub_counts roundtrip-py python3 tests/lib/roundtrip_py.py "$TMP/src" "$TMP/out"
# The checker itself must catch what it is there for: three tampered
# outputs (an unchanged file edited, a line added, a syntax error) give
# exactly three failures.
mkdir -p "$TMP/self/src"
printf 'import time\nt = time.time()\n' >"$TMP/self/src/a.py"
printf 'x = 1\n' >"$TMP/self/src/b.py"
printf 'import os\nk = os.getenv("K")\nprint(k)\n' >"$TMP/self/src/c.py"
"$CURRANTC" build "$TMP/self/src" -o "$TMP/self/out" -q </dev/null >/dev/null 2>&1 || true
if [ -f "$TMP/self/out/c.py" ]; then
  printf '# edited\n' >>"$TMP/self/out/b.py"
  sed -i '1s/^/\n/' "$TMP/self/out/a.py"
  sed -i 's/print(k)/print(k/' "$TMP/self/out/c.py"
fi
self="$(python3 tests/lib/roundtrip_py.py "$TMP/self/src" "$TMP/self/out" 2>&1 || true)"
if printf '%s\n' "$self" | grep -qx '1 passed, 3 failed'; then
  ok roundtrip-python-checker-self-test
else
  bad roundtrip-python-checker-self-test "tampered outputs not caught as expected:"
  printf '%s\n' "$self" | tail -n 8 | sed 's/^/    /'
fi
finish
