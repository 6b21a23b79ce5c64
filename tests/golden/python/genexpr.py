# A generator expression as the only argument is lazy: it gets its own
# parentheses and is still consumed by the callee.
import random

print(random.choice([x for x in "a"]), sorted(random.randint(1, 1) for _ in range(3)))
print(random.sample(list(x * 2 for x in range(3)), k=3) is not None)
print(sum(random.randint(1, 1) for _ in range(4)))
total = random.choice(list(v for v in [7]))
print(total, random.choice((v for v in [[8]]).__next__()))
