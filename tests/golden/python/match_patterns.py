# Class patterns in match are not calls; the subject and guards are.
import random
from dataclasses import dataclass


@dataclass
class Point:
    x: int
    y: int


def where(p):
    match p:
        case Point(x=0, y=0):
            return "origin"
        case Point(x=x, y=y) if x == random.randint(1, 1):
            return f"x1 y{y}"
        case [Point(), *rest]:
            return f"list {len(rest)}"
        case _:
            return "other"


match random.choice([Point(1, 5)]):
    case Point(x=1) as p:
        print(where(p), where(Point(0, 0)), where([Point(0, 0), 1]), where(3))
