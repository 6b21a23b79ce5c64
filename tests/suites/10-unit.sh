#!/usr/bin/env bash
# 10-unit: the C unit tests (tests/unit/test_*.c), built with ASan+UBSan
# against every compiler object but compiler/main.c (build/unit-tests).
source "$(dirname "$0")/../lib/common.sh"
if ! out="$(mk build/unit-tests 2>&1)"; then
  bad unit-build "make build/unit-tests failed:"
  printf '%s\n' "$out" | tail -n 40 | sed 's/^/    /'
else
  sub_counts unit build/unit-tests
fi
finish
