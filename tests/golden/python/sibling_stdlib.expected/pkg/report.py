"""Imported as pkg.report, `import time` is the standard module (absolute
imports do not see pkg/time.py): time.time() stays a checkpoint.  A sibling
the catalogue does not know still resolves beside the importer."""; _currant = __import__("currant").module("pkg/report.py")
import time

import helpers

print(_currant.call(0, time.time), helpers.stamp())
