"""Tasks called through every import form: each call is a site."""; _currant = __import__("currant").module("main.py")
import pkg
import pkg.ship
from pkg import billing
from pkg import charge as pay
from pkg.ship import ship as send


def run():
    a = _currant.call(0, pkg.charge, 1)
    b = _currant.call(1, pay, 2)
    c = _currant.call(2, billing.charge, 3)
    d = _currant.call(3, pkg.ship.ship, "o-1")
    e = _currant.call(4, send, "o-2")
    f = billing.helper(4)  # not a task: a call edge, not a site
    return a, b, c, d, e, f


print(run())
