# yield and walrus inside the arguments of a site are evaluated in place.
import random


def gen():
    random.seed((yield "first"))
    x = yield random.randint(1, 1)
    yield x


def walrus():
    if (n := random.randint(2, 2)) == 2:
        values = [random.choice([m := n * 2]), m]
        return values
    return None


g = gen()
print(next(g), g.send(7), g.send("sent"))
print(walrus())
print([y for x in [1, 2] if (y := random.randint(x, x))])
