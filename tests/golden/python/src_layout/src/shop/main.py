"""`from shop.jobs import ...` resolves to src/shop/jobs.py (src is an import root by default)."""
import shop.jobs
from shop.jobs import charge

print(charge(1))
print(shop.jobs.charge(2))
