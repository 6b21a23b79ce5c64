import random


def stamp():
    return random.random()
