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
