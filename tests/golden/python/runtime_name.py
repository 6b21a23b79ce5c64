"""A module that already uses the runtime's usual name: the output binds
the runtime to the first free `_currantN` instead."""
import time

_currant = "mine"  # the module's own `_currant`


def stamp(tag):
    _currant1 = tag.upper()  # so is `_currant1`, locally
    return f"{_currant}:{_currant1}:{time.time() > 0}"


print(stamp("x"))
