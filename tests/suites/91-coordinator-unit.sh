#!/usr/bin/env bash
# 91-coordinator-unit: the coordinator's C unit tests (coordinator/tests/),
# built with warnings as errors and run once plain and once under
# ASan+UBSan with leak detection.
source "$(dirname "$0")/../lib/common.sh"
if ! out="$(mk build/currant build/coord-tests build/asan/coord-tests 2>&1)"; then
  bad coord-build "building the coordinator failed:"
  printf '%s\n' "$out" | tail -n 40 | sed 's/^/    /'
else
  sub_counts coord-unit build/coord-tests
  log="$TMP/asan.log"
  sub_counts coord-unit-asan sh -c "build/asan/coord-tests 2>'$log'; rc=\$?; cat '$log'; exit \$rc"
  if sanitizer_report "$log"; then bad coord-unit-asan "sanitizer report"; else ok coord-unit-asan-clean; fi
fi
finish
