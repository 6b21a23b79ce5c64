"""A package that re-exports a task from a submodule."""
from .billing import charge
