"""Run as a script, app/main.py has app/ on sys.path, not the root: the build
resolves app.orders from the root, so the manifest's python_path holds "."
and `currant run` puts the bundle's root on PYTHONPATH."""
from app.orders import charge
from . import orders

print(charge(1), orders.charge(2))
