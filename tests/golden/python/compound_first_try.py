try:
    import time
except ImportError:
    time = None
print(time.time() > 0)
