# Zero-argument super() and name mangling keep working: the rewritten call
# stays in the same method, so __class__ and _Class__name are the same.
import random
import time


class Base:
    def delay(self):
        return 0


class Clock(Base):
    def __init__(self):
        self.__rng = random.Random(7)
        self.__seed = random.randint(1, 1)

    def __stamp(self):
        return time.time()

    def tick(self):
        time.sleep(super().delay())
        return self.__stamp() > 0, self.__rng.random() < 1, self.__seed


print(Clock().tick())
