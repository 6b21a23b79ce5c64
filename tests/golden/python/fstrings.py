# f-strings: no quote is emitted, so pre-3.12 quote rules hold; `=` keeps
# printing the source text (as a literal) with the value's repr.
import os
import random

os.environ["CURRANT_FS"] = "v"
print(f"{random.randint(1, 1)}|{os.environ['CURRANT_FS']}|{random.choice('a')!r:>4}")
print(f"{random.randint(2, 2)=}")
print(f"{random.randint(3, 3) = }")
print(f"{random.randint(4, 4)=!s}|{random.randint(5, 5)=:>3}")
print(f'{ {"k": random.randint(6, 6)}["k"] =}')
print(f"{'nested ' + f'{random.randint(7, 7)=}'}")
print(rf"\d{random.randint(8, 8)}" f"{os.environ['CURRANT_FS']=}")
print(f"""{random.randint(9, 9)=} {len('x')=}""")
