"""src is a package here (src/__init__.py), so not an import root: src.shop.jobs resolves, shop.jobs does not."""
from src.shop.jobs import charge
from shop.jobs import charge as other

print(charge(1))
print(other(2))
