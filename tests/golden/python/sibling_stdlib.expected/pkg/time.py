"""A module of the package named like the standard one."""


def time():
    return 0.0
