"""task-cycle: tasks that reach each other through calls."""
from currant import task


@task
def plan(n):  # expect: task-cycle
    return helper(n)


def helper(n):
    return ship(n)


@task
def ship(n):
    if n:
        return plan(n - 1)
    return 0


@task
def leaf(n):
    return n


@task
def root(n):
    return leaf(n) + leaf(n + 1)
