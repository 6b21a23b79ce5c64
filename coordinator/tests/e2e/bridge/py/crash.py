"""The JavaScript worker dies mid-call: once (the call is invoked again),
then every time (the call fails with a BridgeError)."""
import currant
from currant.js.pricing import dieAlways, dieOnce

print("die once", dieOnce(1))
try:
    dieAlways()
except currant.BridgeError as e:
    print("died", e)
