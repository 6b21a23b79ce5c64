"""`from shop.jobs import ...` resolves to src/shop/jobs.py (src is an import root by default)."""; _currant = __import__("currant").module("src/shop/main.py")
import shop.jobs
from shop.jobs import charge

print(_currant.call(0, charge, 1))
print(_currant.call(1, shop.jobs.charge, 2))
