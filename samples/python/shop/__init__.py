"""A tiny order-processing shop, used as the currant Python sample.

The package re-exports its entry point so callers can write
``from shop import process_orders``.
"""

from .orders import process_orders

__all__ = ["process_orders"]
