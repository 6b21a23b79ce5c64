# An `=` interpolation spanning lines cannot get its text as a one-line
# literal: its sites are left alone with a warning, the rest is instrumented.
import random

print(f"""{random.randint(1,
 1)=}""", random.randint(2, 2))
