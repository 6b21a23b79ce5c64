#!/usr/bin/env python3
"""expect.py — compares `currantc check --format json` with the fixtures' markers.

    tests/check/expect.py FIXTURE_ROOT REPORT.json

A fixture line that should produce findings says so in a comment:
`# expect: rule` or `// expect: rule, rule` (one entry per finding).  Every
other line must produce none.  Findings are matched by (file relative to
FIXTURE_ROOT, line, rule) as multisets.  Prints each mismatch and exits 1
if there is any.
"""
import collections
import json
import os
import re
import sys

MARK = re.compile(r"(?:#|//|/\*)[^\n]*?\bexpect:\s*([a-z][a-z, -]*[a-z])")


def expected(root):
    want = collections.Counter()
    for base, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith((".py", ".js", ".mjs", ".cjs")):
                continue
            path = os.path.join(base, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            with open(path, encoding="utf-8", errors="replace") as f:
                for n, line in enumerate(f, 1):
                    m = MARK.search(line)
                    if m:
                        for rule in m.group(1).split(","):
                            want[(rel, n, rule.strip())] += 1
    return want


def main():
    root, report = sys.argv[1], sys.argv[2]
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    got = collections.Counter((x["file"], x["line"], x["rule"]) for x in doc["findings"])
    want = expected(root)
    bad = 0
    for key in sorted(set(want) | set(got)):
        if want[key] != got[key]:
            bad += 1
            print("%s:%d: %s: expected %d, got %d" % (key[0], key[1], key[2], want[key], got[key]))
    print("%d expected findings, %d reported, %d mismatches" % (sum(want.values()), sum(got.values()), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
