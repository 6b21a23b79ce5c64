# Default arguments and decorator arguments run once, at definition time.
import random
import time


def tag(label):
    def wrap(f):
        f.label = label
        return f
    return wrap


@tag(random.randint(3, 3))
def f(stamp=time.time(), *, k=random.choice([4])):
    return stamp > 0, k


print(f(), f.label)
print((lambda x=random.randint(6, 6): x)())
