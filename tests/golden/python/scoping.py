# Python scoping decides what a callee is: parameters and locals shadow
# imports, class bodies are invisible from methods, comprehensions have
# their own scope, `global` reaches the module.
import os
import random
import time

handle = None


def shadow(os, random):
    return os.getenv("X"), random.random()   # parameters: not sites


class FakeOs:
    def getenv(self, k):
        return "fake"


class FakeRandom:
    def random(self):
        return 0.5


def local_shadow():
    time = FakeRandom()
    return time.random()                     # local: not a site


def open_global(path):
    global handle
    handle = open(path)


def comprehension():
    return [random.random() < 1 for random in [FakeRandom()]]   # comprehension variable


def later():
    return handle.read()                     # module global bound from open()


print(shadow(FakeOs(), FakeRandom()), local_shadow(), comprehension())
open_global(__file__)
print(later().startswith("# Python"))
handle.close()
