# Values of known origin reached through the code that makes them: a
# function that returns one (directly, or a name bound from one), a
# method that does, and what a class's methods store in self.NAME (or the
# class body binds), when every such value has one origin.
import httpx


def make_client():
    return httpx.Client(base_url="http://127.0.0.1:9")


def open_log(path):
    if not path:
        return None
    f = open(path, "a")
    return f


def either(flag):
    if flag:
        return httpx.Client()
    return open("x")  # two origins: calls of either() are not followed


class Shop:
    shared = httpx.Client()

    def __init__(self, path):
        self.http = make_client()
        self.log = open_log(path)
        self.mixed = either(True)

    def session(self):
        return self.http

    def charge(self, n):
        self.log.write(f"charge {n}\n")
        self.shared.get("/rates")
        return self.http.post("/charge", json={"n": n})

    def other(self):
        return self.mixed.post("/x")  # not a site


class Swapped:
    def __init__(self):
        self.http = httpx.Client()

    def use(self, client):
        self.http = client  # any value: self.http is not followed

    def go(self):
        return self.http.post("/y")  # not a site


def run():
    make_client().get("/a")
    c = make_client()
    c.post("/b")
    with open_log("/tmp/log") as log:
        log.write("done\n")
    either(False).post("/c")  # not a site
