# pathlib family: Path.cwd/home and the read/write/stat methods of a Path value.
import os
import tempfile
from pathlib import Path

base = Path(tempfile.gettempdir()) / "currant-golden-pathlib"
here = Path.cwd()
p = Path(tempfile.gettempdir(), "currant-golden-pathlib.txt")
p.write_text("hi")
text = p.read_text()
raw = Path(str(p)).read_bytes()
with p.open() as f:
    again = f.read()
exists = p.exists()
p.unlink()
print(here.is_absolute(), text, raw, again, exists, p.exists(), base.name)
