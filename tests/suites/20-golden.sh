#!/usr/bin/env bash
# 20-golden: tests/golden.sh over both languages with build/currantc.
source "$(dirname "$0")/../lib/common.sh"
need_compiler "$CURRANTC" golden
sub_counts golden-python env CURRANTC="$CURRANTC" tests/golden.sh python
sub_counts golden-javascript env CURRANTC="$CURRANTC" tests/golden.sh javascript
finish
