from cycle_b import g

f = g  # f and g denote each other: never defined
