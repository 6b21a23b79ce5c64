from clock import now as _now

again = _now  # an alias of an imported alias
