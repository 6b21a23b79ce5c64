"""Tasks called through every import form: each call is a site."""
import pkg
import pkg.ship
from pkg import billing
from pkg import charge as pay
from pkg.ship import ship as send


def run():
    a = pkg.charge(1)
    b = pay(2)
    c = billing.charge(3)
    d = pkg.ship.ship("o-1")
    e = send("o-2")
    f = billing.helper(4)  # not a task: a call edge, not a site
    return a, b, c, d, e, f


print(run())
