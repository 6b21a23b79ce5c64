def helper():
    return time.time() > 0

if __name__ == "__main__":
    import time
    print(helper())
