# File family: open() and what is read or written through the file it returns.
import io
import os
import tempfile

path = os.path.join(tempfile.gettempdir(), "currant-golden-files.txt")
with open(path, "w") as f:
    f.write("one\n")
    f.writelines(["two\n"])
with io.open(path) as g:
    first = g.readline()
    rest = g.readlines()
h = open(path)
data = h.read()
h.close()
whole = open(path).read()
print(first.strip(), rest, len(data), whole == data)
