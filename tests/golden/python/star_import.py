from time import *
print(time() > 0)
