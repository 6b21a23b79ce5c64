#!/usr/bin/env python3
"""CPython baseline of `make bench`: ast.parse + one NodeTransformer doing the
call wrapping currantc does + ast.unparse, over a tree of .py files.

    py_ast_wrap.py SRC_DIR OUT_DIR

Every .py file under SRC_DIR is parsed (from bytes, so encoding declarations
are honoured), transformed and unparsed; the result is written to OUT_DIR at
the same relative path.  The transformer resolves imports as it meets them
(`import x as y`, `from x import y as z`) and wraps each call whose callee
resolves to a catalogued name (the Python table of issue 2: clock, random,
uuid, os.urandom, secrets, getenv, input, subprocess runners, urlopen,
pathlib read/write methods, open, the currant std API) into
`_currant.call(i, f, args...)`, and each `os.environ[...]` read into
`_currant.read(i, os.environ, key)`, with i the site index in source order.
The module binding `_currant = __import__("currant").module(REL)` goes after
the docstring and `from __future__` imports.

Prints one line: files, bytes, failed (rejected by ast.parse or unparse),
sites.  Exit status 0.
"""
import ast
import os
import sys

EXACT = {
    "time.time", "time.time_ns", "time.monotonic", "time.perf_counter", "time.sleep",
    "datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today",
    "datetime.date.today",
    "uuid.uuid1", "uuid.uuid4",
    "os.urandom", "os.getenv", "os.environ.get",
    "builtins.input", "builtins.open",
    "subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
    "subprocess.Popen", "subprocess.getoutput", "subprocess.getstatusoutput",
    "urllib.request.urlopen",
    "currant.sleep", "currant.now", "currant.random", "currant.uuid",
    "currant.wait_event", "currant.prompt",
}
# Every module-level function of these modules.
WHOLE_MODULES = {"random", "secrets"}
PATH_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "open"}
BUILTINS = {"open": "builtins.open", "input": "builtins.input"}


class Wrap(ast.NodeTransformer):
    def __init__(self):
        self.names = {}      # local name -> dotted name it was imported as
        self.sites = 0

    # --- names -----------------------------------------------------------
    def visit_Import(self, node):
        for a in node.names:
            if a.asname:
                self.names[a.asname] = a.name
            else:
                top = a.name.split(".", 1)[0]
                self.names[top] = top
        return node

    def visit_ImportFrom(self, node):
        if node.level == 0 and node.module:
            for a in node.names:
                if a.name != "*":
                    self.names[a.asname or a.name] = node.module + "." + a.name
        return node

    def visit_FunctionDef(self, node):
        self.names.pop(node.name, None)
        return self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_ClassDef = visit_FunctionDef

    def dotted(self, expr):
        attrs = []
        while isinstance(expr, ast.Attribute):
            attrs.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name):
            return None
        base = self.names.get(expr.id)
        if base is None:
            base = BUILTINS.get(expr.id)
            if base is None:
                return None
        if attrs:
            attrs.reverse()
            return base + "." + ".".join(attrs)
        return base

    def catalogued(self, func):
        q = self.dotted(func)
        if q is not None:
            if q in EXACT:
                return True
            mod, _, attr = q.rpartition(".")
            return mod in WHOLE_MODULES and not attr.startswith("_")
        # pathlib.Path(...).read_text() and friends
        if (isinstance(func, ast.Attribute) and func.attr in PATH_METHODS
                and isinstance(func.value, ast.Call)):
            return self.dotted(func.value.func) == "pathlib.Path"
        return False

    # --- rewrites ----------------------------------------------------------
    def site(self):
        i = self.sites
        self.sites += 1
        return ast.Constant(i)

    def visit_Call(self, node):
        if self.catalogued(node.func):
            i = self.site()
            node = self.generic_visit(node)
            return ast.Call(
                func=ast.Attribute(ast.Name("_currant", ast.Load()), "call", ast.Load()),
                args=[i, node.func] + node.args,
                keywords=node.keywords)
        return self.generic_visit(node)

    def visit_Subscript(self, node):
        if isinstance(node.ctx, ast.Load) and self.dotted(node.value) == "os.environ":
            i = self.site()
            node = self.generic_visit(node)
            return ast.Call(
                func=ast.Attribute(ast.Name("_currant", ast.Load()), "read", ast.Load()),
                args=[i, node.value, node.slice], keywords=[])
        return self.generic_visit(node)


def bind(tree, rel):
    body = tree.body
    k = 0
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        k = 1
    while k < len(body) and isinstance(body[k], ast.ImportFrom) and body[k].module == "__future__":
        k += 1
    stmt = ast.Assign(
        targets=[ast.Name("_currant", ast.Store())],
        value=ast.Call(
            func=ast.Attribute(
                ast.Call(ast.Name("__import__", ast.Load()), [ast.Constant("currant")], []),
                "module", ast.Load()),
            args=[ast.Constant(rel)], keywords=[]),
        lineno=0)
    body.insert(k, stmt)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: py_ast_wrap.py SRC_DIR OUT_DIR")
    src, out = sys.argv[1], sys.argv[2]
    sys.setrecursionlimit(10000)
    files = nbytes = failed = sites = 0
    made = set()
    for root, dirs, names in os.walk(src):
        dirs[:] = [d for d in dirs if d not in (".git", "node_modules", "__pycache__")]
        for name in names:
            if not name.endswith(".py"):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, src)
            with open(path, "rb") as f:
                data = f.read()
            files += 1
            nbytes += len(data)
            try:
                tree = ast.parse(data, path)
                w = Wrap()
                tree = w.visit(tree)
                if w.sites:
                    bind(tree, rel)
                text = ast.unparse(tree)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                failed += 1
                continue
            sites += w.sites
            dest = os.path.join(out, rel)
            d = os.path.dirname(dest)
            if d not in made:
                os.makedirs(d, exist_ok=True)
                made.add(d)
            with open(dest, "w", encoding="utf-8", errors="surrogatepass") as f:
                f.write(text)
    print(f"files {files} bytes {nbytes} failed {failed} sites {sites}")


if __name__ == "__main__":
    main()
