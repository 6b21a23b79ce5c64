"""Data files beside the code are copied to OUT, so the instrumented tree
runs as the source tree does: reads relative to __file__, and a script run
from it (copied with its permission bits)."""; _currant = __import__("currant").module("app.py")
import json
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).parent
prices = json.loads(_currant.call(0, (HERE / "data" / "prices.json").read_text))
template = _currant.call(1, (HERE / "templates" / "receipt.txt").read_text)
tool = _currant.call(2, subprocess.run, [str(HERE / "tools" / "run.sh")], capture_output=True, text=True, check=True)
print(template.format(total=prices["apple"] + prices["pear"]).strip(), tool.stdout.strip(), _currant.call(3, time.time) > 0)
