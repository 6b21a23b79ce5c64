"""Imported as pkg.report, `import time` is the standard module (absolute
imports do not see pkg/time.py): time.time() stays a checkpoint.  A sibling
the catalogue does not know still resolves beside the importer; one
currant.json names (ledger.*) is the declared module, a checkpoint."""; _currant = __import__("currant").module("pkg/report.py")
import time

import helpers
import ledger

print(_currant.call(0, time.time), helpers.stamp())
_currant.call(1, ledger.post, 1)
