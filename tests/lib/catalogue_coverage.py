"""Checks that every entry of currantc's catalogue is exercised by a golden.

Usage: catalogue_coverage.py CURRANTC GOLDEN_DIR
For each row of `CURRANTC catalogue` (language, pattern, form), some site in
a golden manifest of that language must have that canonical name and form
(a trailing ".*" matches one more segment).  Prints one PASS/FAIL line per
entry and ends with "N passed, N failed".
"""
import glob
import json
import subprocess
import sys


def golden_sites(golden_dir: str, lang: str) -> set:
    """(canonical, form) of every site (and prompt) in the golden manifests of lang."""
    seen = set()
    pattern = f"{golden_dir}/{lang}/**/*.json"
    for path in glob.glob(pattern, recursive=True):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip().rstrip(",")
                flat = line.replace(" ", "")
                if not line.startswith("{") or ('"kind":"site"' not in flat and '"kind":"prompt"' not in flat):
                    continue
                try:
                    node = json.loads(line)
                except json.JSONDecodeError:
                    continue
                seen.add((node.get("canonical"), node.get("form")))
    return seen


def covered(pattern: str, form: str, sites: set) -> bool:
    """True if a site matches the catalogue pattern and form."""
    for canonical, site_form in sites:
        if not canonical or site_form != form:
            continue
        if pattern.endswith(".*"):
            prefix = pattern[:-1]
            if canonical.startswith(prefix) and "." not in canonical[len(prefix):]:
                return True
        elif canonical == pattern:
            return True
    return False


def main() -> int:
    currantc, golden_dir = sys.argv[1], sys.argv[2]
    rows = subprocess.run([currantc, "catalogue"], capture_output=True, text=True, check=True).stdout
    sites = {lang: golden_sites(golden_dir, lang) for lang in ("python", "javascript")}
    passed = failed = 0
    for row in rows.splitlines():
        lang, pattern, form = row.split("\t")[:3]
        if covered(pattern, form, sites[lang]):
            passed += 1
        else:
            failed += 1
            print(f"FAIL catalogue {lang} {pattern} ({form}): no golden site exercises it")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
