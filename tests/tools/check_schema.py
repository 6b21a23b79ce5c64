#!/usr/bin/env python3
"""check_schema.py — validates JSON documents against a JSON Schema, stdlib only.

    tests/tools/check_schema.py SCHEMA DOC...

The machines currant is tested on have no PyPI, so this implements the part
of JSON Schema draft 2020-12 that docs/currant.graph.schema.json uses:
type, properties, required, items, enum, additionalProperties, minimum,
pattern, oneOf, and local $ref into $defs.  Any other validation keyword in
the schema is an error here, so the schema cannot quietly outgrow the
checker.  When the `jsonschema` package happens to be installed, the
document is checked with it as well and the two verdicts must agree.

Prints one line per problem (JSON pointer: message) and exits 1 if any.
"""
import json
import re
import sys

ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "$comment", "default", "examples"}
KEYWORDS = {"type", "properties", "required", "items", "enum", "additionalProperties", "minimum",
            "pattern", "oneOf", "$ref"}

TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


class Checker:
    def __init__(self, root):
        self.root = root

    def resolve(self, ref):
        if not ref.startswith("#/"):
            raise ValueError("only local $ref is supported: %s" % ref)
        node = self.root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def check(self, schema, value, path, errors):
        """Appends (path, message) for every violation of schema by value."""
        unknown = set(schema) - KEYWORDS - ANNOTATIONS
        if unknown:
            raise ValueError("%s: keywords not supported by this checker: %s" % (path or "/", sorted(unknown)))
        if "$ref" in schema:
            self.check(self.resolve(schema["$ref"]), value, path, errors)
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(TYPES[t](value) for t in types):
                errors.append((path, "expected %s, got %s" % ("/".join(types), json.dumps(value)[:60])))
                return
        if "enum" in schema and value not in schema["enum"]:
            errors.append((path, "%s not in %s" % (json.dumps(value)[:60], schema["enum"])))
        if "minimum" in schema and TYPES["number"](value) and value < schema["minimum"]:
            errors.append((path, "%s < minimum %s" % (value, schema["minimum"])))
        if "pattern" in schema and isinstance(value, str) and not re.search(schema["pattern"], value):
            errors.append((path, "%r does not match %r" % (value[:60], schema["pattern"])))
        if "oneOf" in schema:
            self.check_one_of(schema["oneOf"], value, path, errors)
        if isinstance(value, dict):
            self.check_object(schema, value, path, errors)
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                self.check(schema["items"], item, "%s/%d" % (path, i), errors)

    def check_one_of(self, options, value, path, errors):
        results = []
        for option in options:
            errs = []
            self.check(option, value, path, errs)
            results.append(errs)
        passing = sum(1 for errs in results if not errs)
        if passing == 1:
            return
        if passing == 0:
            # Report the option that came closest: the fewest problems.
            best = min(results, key=len)
            errors.append((path, "matches none of oneOf; closest option says:"))
            errors.extend(best)
        else:
            errors.append((path, "matches %d options of oneOf, expected exactly 1" % passing))

    def check_object(self, schema, value, path, errors):
        for key in schema.get("required", []):
            if key not in value:
                errors.append((path, "missing required property %r" % key))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            sub = "%s/%s" % (path, key.replace("~", "~0").replace("/", "~1"))
            if key in props:
                self.check(props[key], item, sub, errors)
            elif extra is False:
                errors.append((path, "unexpected property %r" % key))
            elif isinstance(extra, dict):
                self.check(extra, item, sub, errors)


def library_verdict(schema, doc):
    """True/False from the jsonschema package, or None when it is absent."""
    try:
        import jsonschema  # noqa: F401 (optional)
    except ImportError:
        return None
    validator = jsonschema.Draft202012Validator(schema)
    return not any(True for _ in validator.iter_errors(doc))


def main(argv):
    if len(argv) < 3:
        print("usage: check_schema.py SCHEMA DOC...", file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    checker = Checker(schema)
    failed = False
    for name in argv[2:]:
        with open(name, encoding="utf-8") as f:
            doc = json.load(f)
        errors = []
        checker.check(schema, doc, "", errors)
        for path, message in errors:
            print("%s: %s: %s" % (name, path or "/", message))
        verdict = library_verdict(schema, doc)
        if verdict is not None and verdict != (not errors):
            print("%s: jsonschema disagrees (it says %s)" % (name, "valid" if verdict else "invalid"))
            failed = True
        failed = failed or bool(errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
