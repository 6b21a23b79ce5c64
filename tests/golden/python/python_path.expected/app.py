"""currant.json's "python_path" names lib/py as an import root."""; _currant = __import__("currant").module("app.py")
from billing.cards import capture

print(_currant.call(0, capture, 5))
