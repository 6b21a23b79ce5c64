# Network family: urllib.request.urlopen (not run by the tests: no network).
import urllib.request
from urllib.request import urlopen


def fetch(url):
    with urllib.request.urlopen(url, timeout=5) as resp:
        return resp.read()


def fetch2(url):
    return urlopen(url).read()
