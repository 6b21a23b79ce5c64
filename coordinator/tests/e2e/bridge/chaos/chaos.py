"""Not instrumented: SIGKILLs this process the first time (marker file
absent)."""
import os
import signal


def die_once(marker):
    if os.path.exists(marker):
        return
    with open(marker, "w") as f:
        f.write("died\n")
    os.kill(os.getpid(), signal.SIGKILL)
