"""Python functions the JavaScript side calls."""


def score(a, b=1):
    return a + b


async def fetch(key):
    return key.upper()
