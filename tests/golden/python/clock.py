# Clock family: time.*, datetime.now/utcnow/today, date.today.
import time
import datetime
from datetime import date, datetime as dt

t0 = time.time()
ns = time.time_ns()
mono = time.monotonic()
perf = time.perf_counter()
time.sleep(0)
now = datetime.datetime.now()
utc = dt.utcnow()
today = dt.today()
day = date.today()
print(t0 > 0, ns > 0, mono > 0, perf > 0, now.year > 2000, utc.year > 2000, today.year > 2000, day.year > 2000)
print(time.strftime("%Y", time.localtime(0)) == "1970" or True)  # localtime with an argument is still a site
