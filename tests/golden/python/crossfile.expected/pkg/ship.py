import currant


@currant.task(retries=2)
def ship(order):
    return f"shipped {order}"
