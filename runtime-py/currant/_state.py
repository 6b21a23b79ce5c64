"""Process-wide runtime state: the durable session, or None (pass-through).

Kept in its own tiny module so that every other module reads the same
attribute and the hot path is one global lookup.
"""

from typing import Any, Optional

#: The live session when a coordinator started this process, else None.
session: Optional[Any] = None
