"""currant.json's "python_path" names lib/py as an import root."""
from billing.cards import capture

print(capture(5))
