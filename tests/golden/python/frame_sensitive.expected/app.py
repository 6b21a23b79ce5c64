# Calls that read their caller's frame stay as they are even when listed as
# boundaries (a warning says so); other configured boundaries are rewritten.
_currant = __import__("currant").module("app.py"); import billing


class Base:
    def total(self):
        return 1


class Cart(Base):
    def total(self):
        return super().total() + 1


def main():
    x = 2
    names = sorted(locals())
    return eval("x + 1"), names, Cart().total(), _currant.call(3, billing.charge, 5)


print(main())
