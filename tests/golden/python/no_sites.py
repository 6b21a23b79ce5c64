# No boundary call: the file is copied byte for byte.
import math


def area(r):
    return math.pi * r * r


print(area(2))
