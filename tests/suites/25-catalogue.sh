#!/usr/bin/env bash
# 25-catalogue: every entry of the built-in catalogue (`currantc catalogue`)
# is exercised by at least one golden test: a site with that canonical name
# and form appears in a golden manifest.  Adding an entry without a golden
# fails here, and so does a docs/CATALOGUE.md whose tables are not what
# `currantc catalogue --markdown` prints.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" catalogue
sub_counts catalogue python3 tests/lib/catalogue_coverage.py "$CURRANTC" tests/golden
"$CURRANTC" catalogue --markdown >"$TMP/tables.md"
check "docs/CATALOGUE.md holds the catalogue's tables verbatim" python3 -c '
import sys
doc = open("docs/CATALOGUE.md", encoding="utf-8").read()
tables = open(sys.argv[1], encoding="utf-8").read()
assert tables in doc, "regenerate the tables: currantc catalogue --markdown"
py, js = (part.count("\n| `") for part in tables.split("## JavaScript"))
assert f"{py} Python entries and\n{js} JavaScript entries" in doc, "entry counts"' "$TMP/tables.md"
finish
