# Input family: input() reads standard input.
try:
    name = input("name? ")
except EOFError:
    name = "<eof>"
print("hello", name)
