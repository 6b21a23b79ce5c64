from currant import task


@task
def charge(amount):
    return {"charged": amount}


def helper(x):
    return x * 2
