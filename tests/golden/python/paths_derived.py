# Paths made from Paths: what `/`, `.parent`, the methods that give a Path
# and the listings that yield them give are Paths, so the file operations
# on them are checkpoints.
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def prepare(base: Path):
    report = base / "report.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.with_suffix(".bak").write_text("old")
    copy = report.with_name("copy.txt")
    copy.write_text("copy")
    (base / "nested").joinpath("deep.txt").parent.mkdir(exist_ok=True)
    return report


def listing(base):
    for p in Path(base).glob("*.txt"):
        print(p.name, p.read_text())
    sizes = [q.stat().st_size for q in Path(base).iterdir()]
    for child in Path(base).rglob("*"):
        child = str(child)  # bound twice: no longer followed
        child.upper()
    return sorted(sizes)


def not_paths(n, d):
    half = n / 2
    half.as_integer_ratio()  # a / on a number
    for name in os.listdir(d):
        name.upper()  # os.listdir yields strings
    up = d.parent  # d is not known to be a Path
    up.mkdir()


DATA.mkdir(exist_ok=True)
prepare(DATA)
print(listing(DATA))
