"""The no-op Python function steps.js calls through the bridge."""


def step(i):
    return i
