#!/usr/bin/env python3
"""check_manifest.py SCHEMA MANIFEST...: validates each currant.graph.json
against docs/currant.graph.schema.json (a JSON Schema subset is implemented
here, stdlib only; an unknown keyword is an error, so the check cannot pass
by ignoring the schema) and checks its integrity:
  - node ids unique; every edge's ends are nodes; edges sorted, no duplicates;
  - per file, site indexes are 0..sites-1 and match "files"[].sites;
  - site ids unique, of the form REL:QUALNAME:CALLEE#N;
  - every site and function names a file of "files".
One test per manifest; ends with "N passed, N failed"."""
import json
import re
import sys

KNOWN = {"$schema", "$id", "title", "description", "type", "$ref", "$defs", "definitions", "properties",
         "required", "additionalProperties", "items", "enum", "const", "minimum", "maximum", "pattern",
         "oneOf", "anyOf", "allOf", "minItems", "minLength", "format", "examples", "default", "uniqueItems"}
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


class Validator:
    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError(f"unsupported $ref {ref}")
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part]
        return node

    def type_ok(self, v, t):
        if t == "integer":
            return isinstance(v, int) and not isinstance(v, bool)
        if t == "number":
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        return isinstance(v, TYPES[t])

    def errors(self, s, v, path):
        if s is True or s == {}:
            return []
        if s is False:
            return [f"{path}: not allowed"]
        unknown = set(s) - KNOWN
        if unknown:
            return [f"{path}: schema keyword(s) {sorted(unknown)} not supported by the checker"]
        errs = []
        if "$ref" in s:
            errs += self.errors(self.resolve(s["$ref"]), v, path)
        if "type" in s:
            ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
            if not any(self.type_ok(v, t) for t in ts):
                return errs + [f"{path}: {type(v).__name__} is not {ts}"]
        if "enum" in s and v not in s["enum"]:
            errs.append(f"{path}: {v!r} not in {s['enum']}")
        if "const" in s and v != s["const"]:
            errs.append(f"{path}: {v!r} != {s['const']!r}")
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            if "minimum" in s and v < s["minimum"]:
                errs.append(f"{path}: {v} < {s['minimum']}")
            if "maximum" in s and v > s["maximum"]:
                errs.append(f"{path}: {v} > {s['maximum']}")
        if isinstance(v, str):
            if "pattern" in s and not re.search(s["pattern"], v):
                errs.append(f"{path}: {v!r} does not match {s['pattern']}")
            if "minLength" in s and len(v) < s["minLength"]:
                errs.append(f"{path}: shorter than {s['minLength']}")
        if isinstance(v, dict):
            props = s.get("properties", {})
            for r in s.get("required", []):
                if r not in v:
                    errs.append(f"{path}: missing {r}")
            for k, x in v.items():
                if k in props:
                    errs += self.errors(props[k], x, f"{path}.{k}")
                elif "additionalProperties" in s:
                    errs += self.errors(s["additionalProperties"], x, f"{path}.{k}")
        if isinstance(v, list):
            if "items" in s:
                for i, x in enumerate(v):
                    errs += self.errors(s["items"], x, f"{path}[{i}]")
                    if len(errs) > 20:
                        break
            if "minItems" in s and len(v) < s["minItems"]:
                errs.append(f"{path}: fewer than {s['minItems']} items")
        if "allOf" in s:
            for sub in s["allOf"]:
                errs += self.errors(sub, v, path)
        if "anyOf" in s and not any(not self.errors(sub, v, path) for sub in s["anyOf"]):
            errs.append(f"{path}: matches none of anyOf")
        if "oneOf" in s:
            n = sum(1 for sub in s["oneOf"] if not self.errors(sub, v, path))
            if n != 1:
                errs.append(f"{path}: matches {n} of oneOf, expected 1")
        return errs


def integrity(m):
    errs = []
    nodes = m.get("nodes", [])
    ids = [n.get("id") for n in nodes]
    if len(set(ids)) != len(ids):
        dup = sorted({i for i in ids if ids.count(i) > 1})[:3]
        errs.append(f"duplicate node ids {dup}")
    idset = set(ids)
    edges = m.get("edges", [])
    keys = [(e.get("from"), e.get("to"), e.get("kind")) for e in edges]
    for e in edges:
        if e.get("from") not in idset or e.get("to") not in idset:
            errs.append(f"edge {e} names a missing node")
            break
    if len(set(keys)) != len(keys):
        errs.append("duplicate edges")
    files = {f["path"]: f for f in m.get("files", [])}
    by_file = {}
    site_ids = []
    for n in nodes:
        if n.get("kind") in ("site", "prompt", "function", "task") and n.get("file") not in files:
            errs.append(f"node {n.get('id')} names file {n.get('file')!r} not in files")
            break
        if n.get("kind") in ("site", "prompt"):
            by_file.setdefault(n["file"], []).append(n.get("index"))
            site_ids.append(n.get("site_id"))
            sid = n.get("site_id") or ""
            if not sid.startswith(n["file"] + ":") or not re.search(r"#\d+$", sid):
                errs.append(f"site id {sid!r} is not REL:QUALNAME:CALLEE#N")
    if len(set(site_ids)) != len(site_ids):
        errs.append("duplicate site ids")
    for path, f in files.items():
        idx = sorted(by_file.get(path, []))
        want = f.get("sites", 0) if f.get("status") == "instrumented" else 0
        if f.get("status") == "instrumented" and idx != list(range(want)):
            errs.append(f"{path}: site indexes {idx[:5]}... do not number 0..{want - 1}")
        if f.get("status") != "instrumented" and f.get("sites", 0):
            errs.append(f"{path}: status {f.get('status')} with sites {f.get('sites')}")
    return errs


def main():
    schema = json.load(open(sys.argv[1]))
    v = Validator(schema)
    passed = failed = 0
    for path in sys.argv[2:]:
        try:
            m = json.load(open(path, encoding="utf-8"))
            errs = v.errors(schema, m, "$") + integrity(m)
        except Exception as e:
            errs = [f"{type(e).__name__}: {e}"]
        if errs:
            failed += 1
            print(f"FAIL manifest {path}: {errs[0]}")
            for e in errs[1:5]:
                print(f"    also: {e}")
        else:
            passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
