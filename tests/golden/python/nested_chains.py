# Nested sites compose; chains through values of known origin.
import os
import random
import tempfile
from pathlib import Path

print(random.choice([random.randint(1, 1), random.randint(1, 1)]))
p = Path(tempfile.gettempdir()) / "currant-golden-chain.txt"
p.write_text(str(random.randint(2, 2)))
print(open(str(p)).read(), Path(str(p)).read_text(), open(p).read().strip())
os.environ["CURRANT_CH"] = "3"
print(os.environ[os.environ["CURRANT_CH"] and "CURRANT_CH"])
p.unlink()
