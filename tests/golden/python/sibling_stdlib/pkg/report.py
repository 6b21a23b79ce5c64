"""Imported as pkg.report, `import time` is the standard module (absolute
imports do not see pkg/time.py): time.time() stays a checkpoint.  A sibling
the catalogue does not know still resolves beside the importer; one
currant.json names (ledger.*) is the declared module, a checkpoint."""
import time

import helpers
import ledger

print(time.time(), helpers.stamp())
ledger.post(1)
