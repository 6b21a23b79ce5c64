_currant = __import__("currant").module("main.py"); from currant.js.nope import x
quote = _currant.bridge("js", "pricing.js", []).quote; helper = _currant.bridge("js", "pricing.js", []).helper; missing = _currant.bridge("js", "pricing.js", []).missing
pricing = _currant.bridge("js", "pricing.js", [])
import currant.js.pricing
from currant.js.pricing import *


def f(n, args, kw):
    _currant.call(0, quote, n, 2, 3)
    _currant.call(1, quote, n)
    _currant.call(2, quote, n, rate=2)
    _currant.call(3, quote, *args)
    _currant.call(4, quote, n, **kw)
    return pricing.nothere(1)
