# Randomness family: random.* module functions, uuid1/uuid4, os.urandom, secrets.*.
import os
import random
import secrets
import uuid

random.seed(1)
r = random.random()
n = random.randint(1, 6)
c = random.choice("abc")
u4 = uuid.uuid4()
u1 = uuid.uuid1()
b = os.urandom(4)
tok = secrets.token_hex(8)
rng = random.Random(3)        # a generator class: not a site (random.* is its module's functions)
sysrng = secrets.SystemRandom()  # nor this one; methods of the instances are not sites
x = rng.random()
print(0 <= r < 1, 1 <= n <= 6, c in "abc", u4.version, u1.version, len(b), len(tok), 0 <= x < 1)
