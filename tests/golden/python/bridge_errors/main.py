from currant.js.nope import x
from currant.js.pricing import quote, helper, missing
import currant.js.pricing as pricing
import currant.js.pricing
from currant.js.pricing import *


def f(n, args, kw):
    quote(n, 2, 3)
    quote(n)
    quote(n, rate=2)
    quote(*args)
    quote(n, **kw)
    return pricing.nothere(1)
