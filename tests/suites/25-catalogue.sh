#!/usr/bin/env bash
# 25-catalogue: every entry of the built-in catalogue (`currantc catalogue`)
# is exercised by at least one golden test: a site with that canonical name
# and form appears in a golden manifest.  Adding an entry without a golden
# fails here.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" catalogue
sub_counts catalogue python3 tests/lib/catalogue_coverage.py "$CURRANTC" tests/golden
finish
