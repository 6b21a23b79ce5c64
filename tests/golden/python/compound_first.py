# The first statement is compound: the binding takes the first comment line
# that is not a shebang or coding cookie.
if True:
    import time
    print(time.time() > 0)
