# User keywords named `site` or `fn` pass through the positional-only runtime.
import random


def pick(seq, site="s", fn="f"):
    return random.choice(seq), site, fn


print(random.sample(population=[1, 2], k=2) is not None)
print(pick([1], site="here", fn="there"))
print(random.choices([3], k=1, cum_weights=None))
