import clock
from clock import counter, now
from utils import again

print(now() > 0, clock.pick() < 1, counter(), again() > 0)
if __name__ == "never":  # f and g denote each other: for the compiler only
    import cycle_a
    cycle_a.f()
