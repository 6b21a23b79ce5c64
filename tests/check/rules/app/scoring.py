def score(n):
    return n + 1
