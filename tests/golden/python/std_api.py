# currant's std API: every call is a site of kind std.
import currant
from currant import sleep, now as clock

currant.sleep(0)
sleep(0)
t = clock()
r = currant.random()
u = currant.uuid()
print(t is not None, 0 <= r < 1, len(str(u)) == 36)
