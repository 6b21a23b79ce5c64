#!/usr/bin/env python3
"""copy_corpus.py SRC DST EXT... : copies the files under SRC whose names end
in one of EXT (plus every package.json, which decides how node reads a .js)
to DST at the same relative paths, so that currantc sees every one of them:
directories the walk would skip by design (node_modules, site-packages) are
renamed (node_modules -> node_modules_), .gitignore files are not copied.
Symlinks are not followed.  Prints the number of source files copied."""
import os
import shutil
import sys

RENAME = {"node_modules": "node_modules_"}
SKIP_DIRS = {"__pycache__", ".git", "site-packages", "dist-packages"}


def main():
    src, dst, exts = sys.argv[1], sys.argv[2], tuple(sys.argv[3:])
    n = 0
    for dp, dns, fns in os.walk(src):
        dns[:] = sorted(d for d in dns if d not in SKIP_DIRS and not os.path.islink(os.path.join(dp, d)))
        rel = os.path.relpath(dp, src)
        parts = [] if rel == "." else [RENAME.get(p, p) for p in rel.split(os.sep)]
        for fn in sorted(fns):
            p = os.path.join(dp, fn)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            is_src = fn.endswith(exts)
            if not is_src and fn != "package.json":
                continue
            d = os.path.join(dst, *parts)
            os.makedirs(d, exist_ok=True)
            shutil.copyfile(p, os.path.join(d, fn))
            n += is_src
    print(n)


if __name__ == "__main__":
    main()
