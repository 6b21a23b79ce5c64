"""unrecordable-boundary: results the journal cannot encode."""
import os
import subprocess
from subprocess import Popen


def run():
    p = subprocess.Popen(["ls"])
    q = Popen(["true"])
    out = os.popen("ls").read()  # expect: unrecordable-boundary
    # Recordable: Popen (recorded when the program sees it end),
    # CompletedProcess, drained generators of tuples, directory
    # entries (os.DirEntry, recorded with their answers), files (journaled
    # as resources and reopened on replay), plain values.
    for entry in os.scandir("."):
        print(entry.name)
    done = subprocess.run(["ls"], capture_output=True)
    for root, dirs, files in os.walk("."):
        print(root, dirs, files)
    f = open("x.txt")
    with open("y.txt") as g:
        data = g.read()
    names = os.listdir(".")
    return p, q, out, done, f, data, names


run()
