"""Beside the importer (a script's directory is on sys.path), shop.jobs is src/shop/jobs.py."""
from shop.jobs import charge

print(charge(1))
