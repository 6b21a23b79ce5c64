def ok():
    return 1


def bad(:  # expect: syntax-error
    return 2
