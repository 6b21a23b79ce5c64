"""Beside the importer (a script's directory is on sys.path), shop.jobs is src/shop/jobs.py."""; _currant = __import__("currant").module("src/main.py")
from shop.jobs import charge

print(_currant.call(0, charge, 1))
