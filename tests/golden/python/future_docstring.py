"""Module docstring: stays first, and so do the __future__ imports."""
from __future__ import annotations
from __future__ import division  # a comment after the last one

import time

print(__doc__.startswith("Module"), time.time() > 0)
