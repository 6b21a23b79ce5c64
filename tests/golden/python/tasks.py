# User tasks: @task, @currant.task, with and without arguments; calls to them are sites.
import currant
from currant import task
import currant as cur


@task
def charge(amount):
    return amount * 2


@currant.task(retries=3)
def ship(order, *, express=False):
    return ("shipped", order, express)


@cur.task()
async def notify(who):
    return "notified " + who


def task_like(x):  # same shape, not a task: not a site
    return x


class Shop:
    @task
    def restock(self, n):
        return n

    def run(self):
        return self.restock(5)


def main():
    import asyncio
    total = charge(21)
    s = ship("o-1", express=True)
    n = asyncio.run(notify("ops"))
    return total, s, n, task_like(1), Shop().run()


if __name__ == "__main__":
    print(main())
