def charge(amount):
    return amount * 10
