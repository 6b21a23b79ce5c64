"""Imported as pkg.report, `import time` is the standard module (absolute
imports do not see pkg/time.py): time.time() stays a checkpoint.  A sibling
the catalogue does not know still resolves beside the importer."""
import time

import helpers

print(time.time(), helpers.stamp())
