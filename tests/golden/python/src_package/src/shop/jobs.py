"""Tasks of a src-layout project: src/ is on sys.path once it is installed."""
import currant


@currant.task
def charge(order_id):
    return {"order": order_id, "charged": True}
