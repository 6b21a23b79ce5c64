from cycle_a import f

g = f
