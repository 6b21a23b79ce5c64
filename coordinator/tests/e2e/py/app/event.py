_currant = __import__("currant").module("app/event.py")
# wait_event fed by `currant signal`, and one that times out.
import currant

print("waiting")
got = _currant.call(0, currant.wait_event, "approve", 30)
print("got", got)
print("timeout", _currant.call(1, currant.wait_event, "never", 0.2))
