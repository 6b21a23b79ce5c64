"""unresolved-cross-language: imports and calls into JavaScript."""
from currant.js.missing import quote  # expect: unresolved-cross-language
from currant.js.pricing import price, nothere


def total():
    return price(1) + nothere(2) + quote(3)  # expect: unresolved-cross-language
