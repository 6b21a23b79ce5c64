# Calls in a class body run at class creation; names of the class body are
# not visible from its methods.
import random
import time


class Config:
    started = time.time()
    seed = random.randint(5, 5)
    time = "shadowed in the class body only"

    def elapsed(self):
        return time.time() - self.started >= 0   # the module's time, not the class attribute


print(Config.seed, Config().elapsed(), Config.time)
