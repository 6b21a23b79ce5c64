import currant


@currant.task
def charge(n):
    return n
