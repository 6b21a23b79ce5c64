"""Python calling JavaScript through the bridge."""; _currant = __import__("currant").module("main.py")
quote = _currant.bridge("js", "pricing.js", ["fetchRate"]).quote; fetch_rate = _currant.bridge("js", "pricing.js", ["fetchRate"]).fetchRate
import currant
pricing = _currant.bridge("js", "pricing.js", ["fetchRate"])


def price(n):
    return n * 2


async def checkout(n):
    r = _currant.bridge("js", "lib/rates.mjs", ["rate"]).rate; total = (_currant.bridge("js", "lib/rates.mjs", ["rate"]).total


)
    base = price(n)
    q = _currant.call(0, quote, base, 3)
    eur = await _currant.call(1, fetch_rate, "EUR")
    both = await _currant.call(2, r, q)
    summary = _currant.call(3, currant.prompt, "Summarise {q}", q=q, base=base)
    return _currant.call(4, pricing.quote, both, eur) + _currant.call(5, total, 1, 2, 3, *[summary])


if True:
    import os; p2 = _currant.bridge("js", "pricing.js", ["fetchRate"])
    _currant.call(6, p2.quote, 1, 2)


def continued():
    # backslash continuations inside a bridged import and a bridge call:
    # neither is an imported name nor an argument
    q3 = _currant.bridge("js", "pricing.js", ["fetchRate"]).quote; fetchRate = (_currant.bridge("js", "pricing.js", ["fetchRate"]).fetchRate
)
    return _currant.call(7, q3, 1, \
              2), fetchRate
