# functools.partial of a catalogued function: calls of the partial object
# are the function's calls (checkpoints), however partial is imported.
import functools
import subprocess
import time
from functools import partial as bind

run = functools.partial(subprocess.run, check=True)
now = bind(time.time)
stamp = bind(now)  # a partial of a partial: still time.time


def main():
    run(["true"])
    functools.partial(subprocess.call, "true")()  # called at once
    print(now(), stamp())
    print(run.func)  # the partial's attribute: not a call of subprocess.run
    twice = bind(max, 1)  # a builtin that is no boundary: resolved, not a site
    return twice(2)
