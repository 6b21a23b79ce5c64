"""Data files beside the code are copied to OUT, so the instrumented tree
runs as the source tree does: reads relative to __file__, and a script run
from it (copied with its permission bits)."""
import json
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).parent
prices = json.loads((HERE / "data" / "prices.json").read_text())
template = (HERE / "templates" / "receipt.txt").read_text()
tool = subprocess.run([str(HERE / "tools" / "run.sh")], capture_output=True, text=True, check=True)
print(template.format(total=prices["apple"] + prices["pear"]).strip(), tool.stdout.strip(), time.time() > 0)
