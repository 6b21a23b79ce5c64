# Process family: subprocess runners, os.system, os.popen.
import os
import subprocess
from subprocess import check_output as co

r = subprocess.run(["true"])
out = co(["echo", "hi"])
code = subprocess.call(["true"])
rc = os.system("true")
with os.popen("echo x") as p:
    line = p.read()
proc = subprocess.Popen(["true"])
proc.wait()
print(r.returncode, out, code, rc, line.strip())
