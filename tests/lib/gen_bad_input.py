#!/usr/bin/env python3
"""Writes the bad-input corpus of tests/suites/40-bad-input.sh into DIR.

One sub-directory per case (each also holds good.py / good.js with a site,
to check the other files are still processed).  Deterministic: no clock,
no randomness without a fixed seed.  `--big` also writes the 50 MB file.
"""
import os
import random
import sys

GOOD_PY = b"import time\n\n\ndef stamp():\n    return time.time()\n"
GOOD_JS = b"const t = Date.now();\nmodule.exports = { t };\n"


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def case(root, name, files, good=True):
    d = os.path.join(root, name)
    os.makedirs(d, exist_ok=True)
    if good:
        write(os.path.join(d, "good.py"), GOOD_PY)
        write(os.path.join(d, "good.js"), GOOD_JS)
    for rel, data in files.items():
        write(os.path.join(d, rel), data)
    return d


def nested(open_, mid, close, depth):
    return open_ * depth + mid + close * depth


def main():
    root = sys.argv[1]
    big = "--big" in sys.argv
    rng = random.Random(20261121)
    noise = bytes(rng.randrange(256) for _ in range(8192))
    case(root, "binary", {
        "binary.py": b"\x7fELF\x02\x01\x01\x00" + noise,
        "binary.js": b"\x00\x00\x00\x18ftypmp42" + noise,
        "nul_in_text.py": b"import time\nx = 1\x00\nt = time.time()\n",
    })
    case(root, "not_utf8", {
        "latin1.py": b"import time\ns = 'caf\xe9'\nt = time.time()\n",
        "latin1.js": b"const s = 'caf\xe9';\nconst t = Date.now();\n",
        "truncated_utf8.py": b"s = '\xe2\x82'\n",
        "overlong.js": b"const s = '\xc0\xaf';\n",
        "surrogate.py": b"s = '\xed\xa0\x80'\n",
    })
    case(root, "bom", {
        "bom.py": b"\xef\xbb\xbfimport time\nt = time.time()\n",
        "bom.js": b"\xef\xbb\xbfconst t = Date.now();\n",
    }, good=False)
    case(root, "empty", {"empty.py": b"", "empty.js": b"", "empty.mjs": b"", "empty.cjs": b"",
                         "blank.py": b"\n\n\n", "only_comment.js": b"// nothing\n"})
    # 5,000 levels of nesting, one file per shape.
    n = 5000
    case(root, "deep_py_parens", {"deep.py": b"x = " + nested(b"(", b"1", b")", n) + b"\n"}, good=False)
    case(root, "deep_py_calls", {"deep.py": b"import time\nx = " + nested(b"f(", b"time.time()", b")", n) + b"\n"},
         good=False)
    case(root, "deep_py_lists", {"deep.py": b"x = " + nested(b"[", b"", b"]", n) + b"\n"}, good=False)
    blocks = b"".join(b" " * i + b"if x:\n" for i in range(n)) + b" " * n + b"t = time.time()\n"
    case(root, "deep_py_blocks", {"deep.py": b"import time\nx = 1\n" + blocks}, good=False)
    case(root, "deep_js_arrays", {"deep.js": b"const x = " + nested(b"[", b"Date.now()", b"]", n) + b";\n"},
         good=False)
    case(root, "deep_js_calls", {"deep.js": b"const x = " + nested(b"g(", b"Math.random()", b")", n) + b";\n"},
         good=False)
    case(root, "deep_js_objects", {"deep.js": b"const x = " + nested(b"{a:", b"1", b"}", n) + b";\n"}, good=False)
    fns = nested(b"function f(){", b"return Date.now();", b"}", n)
    case(root, "deep_js_functions", {"deep.js": fns + b"\n"}, good=False)
    case(root, "deep_js_optional", {"deep.js": b"const x = a" + b"?.b" * n + b"?.c(Date.now());\n"}, good=False)
    case(root, "syntax_py", {"bad.py": b"import time\nx = 1\ndef f(:\n    return time.time()\n"})
    case(root, "syntax_js", {"bad.js": b"const a = 1;\nfunction (\nDate.now();\n"})
    if big:
        # 50 MB of valid Python with one site at the very end.
        path = os.path.join(root, "big", "big.py")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        line = b"value_%07d = %07d  # " + b"p" * 40 + b"\n"
        with open(path, "wb") as f:
            f.write(b"import time\n")
            i = 0
            size = 0
            while size < 50 * 1024 * 1024:
                chunk = b"".join(line % (k, k) for k in range(i, i + 10000))
                f.write(chunk)
                size += len(chunk)
                i += 10000
            f.write(b"t = time.time()\n")
        write(os.path.join(root, "big", "good.js"), GOOD_JS)


if __name__ == "__main__":
    main()
