"""Paths made from Paths across a crash, compiled by currantc in the test:
the files written through a Path built with / and .parent, a Path method's
result and a glob loop's elements (also through sorted()) are checkpoints,
so each is written once and removed once whatever checkpoint the run is
killed at (DATA.count holds one line a write; a removal run again would
raise FileNotFoundError)."""
import os
import shutil
from pathlib import Path

data = Path(os.environ["DATA"])
count = Path(f"{data}.count")
report = data.parent / (data.name + ".report.txt")
for i in range(3):
    report.with_suffix(f".{i}.txt").write_text(f"part {i}\n")
    with count.open("a") as f:
        f.write("w\n")
parts = []
for p in data.parent.glob(data.name + ".report.*.txt"):
    parts.append(p.read_text().strip())
print(sorted(parts), shutil.which("sh") is not None)
removed = 0
for p in sorted(data.parent.glob(data.name + ".report.*.txt")):
    p.unlink()
    removed += 1
print("removed", removed)
print("count", count.read_text().count("w"))
