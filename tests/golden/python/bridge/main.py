"""Python calling JavaScript through the bridge."""
from currant.js.pricing import quote, fetchRate as fetch_rate
import currant
import currant.js.pricing as pricing


def price(n):
    return n * 2


async def checkout(n):
    from currant.js.lib.rates import (
        rate as r,
        total,
    )
    base = price(n)
    q = quote(base, 3)
    eur = await fetch_rate("EUR")
    both = await r(q)
    summary = currant.prompt("Summarise {q}", q=q, base=base)
    return pricing.quote(both, eur) + total(1, 2, 3, *[summary])


if True:
    import os, currant.js.pricing as p2
    p2.quote(1, 2)


def continued():
    # backslash continuations inside a bridged import and a bridge call:
    # neither is an imported name nor an argument
    from currant.js.pricing import quote as q3, \
        fetchRate
    return q3(1, \
              2), fetchRate
