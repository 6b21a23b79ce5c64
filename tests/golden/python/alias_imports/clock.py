# Module-level aliases other files import: what they denote is followed.
import time
from random import random as rnd

now = time.time
pick = rnd


def ticks():
    return 1


counter = ticks
