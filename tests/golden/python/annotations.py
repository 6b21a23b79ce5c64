# Calls in annotations: evaluated at definition time here (no __future__
# import), so they are sites like any other; local variable annotations
# are never evaluated.
import random


def f(x: random.choice([int]) = 1) -> random.choice([str]):
    y: random.choice([int]) = 2
    return str(x + y)


print(f(), f.__annotations__)
