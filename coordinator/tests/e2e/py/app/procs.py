"""Processes started with subprocess.Popen across a crash: each one that
ended before the crash runs once (it appends a line to DATA.side), and a
resumed run gets what the recorded ones printed and how they ended.  The
polled one is still running at the crashes between its sleeps: it runs
again on resume (so it writes nothing)."""; _currant = __import__("currant").module("app/procs.py")
import os
import subprocess
import time


def main(side):
    p = _currant.call(0, subprocess.Popen, ["sh", "-c", f"echo one; echo ran >> {side}"], stdout=subprocess.PIPE, text=True)
    out, _ = p.communicate()
    print("a", p.returncode, repr(out))
    p = _currant.call(1, subprocess.Popen, ["sh", "-c", f"echo two; echo three; echo ran >> {side}; exit 3"], stdout=subprocess.PIPE)
    first = p.stdout.readline()
    code = p.wait()
    rest = p.stdout.read()
    print("b", code, first, rest)
    with _currant.call(2, subprocess.Popen, ["sh", "-c", "sleep 0.2"]) as p:
        polls = 0
        while p.poll() is None:
            polls += 1
            _currant.call(3, time.sleep, 0.05)
    print("c", p.returncode, polls > 0)
    try:
        _currant.call(4, subprocess.Popen, ["no-such-command-xyz"])
    except FileNotFoundError as err:
        print("d", type(err).__name__)
    with _currant.call(5, open, side) as f:
        print("side", repr(_currant.call(6, f.read)))


main(_currant.read(7, os.environ, "DATA") + ".side")
