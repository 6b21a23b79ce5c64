import currant


@currant.task
def capture(amount):
    return amount
