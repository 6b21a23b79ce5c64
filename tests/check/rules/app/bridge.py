"""unresolved-cross-language: imports and calls into JavaScript."""
from currant.js.missing import quote  # expect: unresolved-cross-language
from currant.js.pricing import price, nothere  # expect: unresolved-cross-language


def total():
    return price(1) + nothere(2) + quote(3) + price(k=1)  # expect: bridge-arity
