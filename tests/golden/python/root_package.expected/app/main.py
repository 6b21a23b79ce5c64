"""Run as a script, app/main.py has app/ on sys.path, not the root: the build
resolves app.orders from the root, so the manifest's python_path holds "."
and `currant run` puts the bundle's root on PYTHONPATH."""; _currant = __import__("currant").module("app/main.py")
from app.orders import charge
from . import orders

print(_currant.call(0, charge, 1), _currant.call(1, orders.charge, 2))
