#!/usr/bin/env python3
"""roundtrip_py.py IN OUT: checks currantc's output tree OUT for the Python
files of IN (one test per file), in this one process:

  - the file is listed in OUT/currant.graph.json ("files");
  - "unchanged" (no site): the output is byte-identical to the input;
  - "instrumented": the output has exactly the input's line count, every
    NAME/NUMBER token of an input line is still on that line, in order, the
    runtime binding is there, and (when CPython compiles the input) CPython
    compiles the output;
  - not analysed (syntax errors, skipped): output absent or identical.
Inputs CPython rejects are only checked for the byte-level rules.  Files
CPython compiles but currantc refused are listed (a limitation, not a test
failure: the output is then the unchanged input).  Ends with
"N passed, N failed"."""
import io
import json
import os
import sys
import tokenize
import warnings

warnings.simplefilter("ignore")

BINDING = b'__import__("currant").module('
NL = b"\n"


def py_files(root):
    for dp, dns, fns in os.walk(root):
        dns.sort()
        for fn in sorted(fns):
            if fn.endswith(".py"):
                p = os.path.join(dp, fn)
                yield os.path.relpath(p, root).replace(os.sep, "/")


def compiles(data, name):
    try:
        compile(data, name, "exec", dont_inherit=True)
        return None
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError, RecursionError) as e:
        return f"{type(e).__name__}: {e}"


def token_lines(data):
    """{line: [token text, ...]} of NAME/NUMBER tokens, or None."""
    try:
        toks = tokenize.tokenize(io.BytesIO(data).readline)
        out = {}
        for t in toks:
            if t.type in (tokenize.NAME, tokenize.NUMBER) and t.start[0] == t.end[0]:
                out.setdefault(t.start[0], []).append(t.string)
        return out
    except Exception:
        return None


def check_tokens(inp, out):
    toks = token_lines(inp)
    if toks is None:
        return None
    olines = out.split(b"\n")
    # tokenize counts lines like splitlines on \n, \r\n and \r: only check
    # files whose line ends are plain \n, where both numberings agree.
    if b"\r" in inp:
        return None
    for ln, words in toks.items():
        if ln - 1 >= len(olines):
            return f"line {ln}: missing from the output"
        line = olines[ln - 1].decode("utf-8", "replace")
        at = 0
        for w in words:
            k = line.find(w, at)
            if k < 0:
                return f"line {ln}: token {w!r} not on its line (now: {line.strip()[:120]!r})"
            at = k + len(w)
    return None


def main():
    src, out = sys.argv[1], sys.argv[2]
    try:
        manifest = json.load(open(os.path.join(out, "currant.graph.json"), encoding="utf-8"))
        files = {f["path"]: f for f in manifest.get("files", [])}
    except Exception as e:
        print(f"FAIL manifest: cannot read currant.graph.json: {e}")
        print("0 passed, 1 failed")
        return 1
    passed = failed = 0
    rejected_by_cpython = 0
    refused = []
    stats = {}
    failures = []
    for rel in py_files(src):
        inp = open(os.path.join(src, rel), "rb").read()
        op = os.path.join(out, rel)
        outb = open(op, "rb").read() if os.path.isfile(op) else None
        entry = files.get(rel)
        problems = []
        in_err = compiles(inp, rel)
        if in_err:
            rejected_by_cpython += 1
        status = entry.get("status") if entry else None
        stats[status] = stats.get(status, 0) + 1
        if entry is None:
            problems.append("not in the manifest's files")
        elif status == "unchanged":
            if outb != inp:
                problems.append("no site, but the output is " + ("missing" if outb is None else "not byte-identical"))
            if entry.get("sites", 0) != 0:
                problems.append(f"status unchanged with {entry.get('sites')} sites")
        elif status == "instrumented":
            if outb is None:
                problems.append("instrumented, but no output file")
            else:
                if outb == inp:
                    problems.append("status instrumented but output identical to input")
                if entry.get("sites", 0) <= 0:
                    problems.append("status instrumented with 0 sites")
                if outb.count(b"\n") != inp.count(b"\n"):
                    problems.append(f"line count {outb.count(NL)} != input {inp.count(NL)}")
                if BINDING not in outb:
                    problems.append("no runtime binding")
                if not in_err:
                    out_err = compiles(outb, rel)
                    if out_err:
                        problems.append("CPython rejects the output: " + out_err)
                    else:
                        t = check_tokens(inp, outb)
                        if t:
                            problems.append(t)
        else:
            if outb is not None and outb != inp:
                problems.append(f"status {status}: output written and changed")
            if not in_err:
                refused.append((rel, status))
        if problems:
            failed += 1
            failures.append((rel, problems))
        else:
            passed += 1
    for rel, problems in failures[:60]:
        print(f"FAIL roundtrip-py {rel}: {problems[0]}")
        for p in problems[1:3]:
            print(f"    also: {p}")
    if len(failures) > 60:
        print(f"... and {len(failures) - 60} more failing files")
    # Outputs for files that are not inputs (nothing but the tree, the
    # manifest and the build cache, docs/ARCHITECTURE.md).
    extra = []
    for dp, dns, fns in os.walk(out):
        dns[:] = [d for d in dns if not (dp == out and d == ".currant-cache")]
        for fn in fns:
            rel = os.path.relpath(os.path.join(dp, fn), out).replace(os.sep, "/")
            if rel != "currant.graph.json" and not os.path.isfile(os.path.join(src, rel)):
                extra.append(rel)
    if extra:
        failed += 1
        print(f"FAIL roundtrip-py: {len(extra)} output files with no input, e.g. {sorted(extra)[:5]}")
    else:
        passed += 1
    print(f"note: files by status: {dict(sorted((str(k), v) for k, v in stats.items()))}; "
          f"{rejected_by_cpython} inputs CPython itself rejects")
    if refused:
        print(f"note: {len(refused)} files CPython compiles were not analysed by currantc (left unchanged):")
        for rel, st in refused[:25]:
            print(f"    {rel} ({st})")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
