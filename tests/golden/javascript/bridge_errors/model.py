def score(a, b=1):
    return a + b
