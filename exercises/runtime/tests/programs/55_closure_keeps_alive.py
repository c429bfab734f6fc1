"""A closure keeps its captured variables alive; `nonlocal` rebinds them.

A nested function that uses a variable of its enclosing function captures a *cell*, not the
value: the cell outlives the call, holds the current object, and `nonlocal` assignments store
into it (STORE_DEREF). The object in the cell dies when the cell is rebound or when the last
function holding the cell dies. Two closures made by one call share the same cell.
"""
import gc

gc.disable()


class Value:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("  del value", self.n)


def make_counter():
    current = Value(0)

    def increment():
        nonlocal current
        current = Value(current.n + 1)
        return current.n

    def peek():
        return current.n

    return increment, peek


inc, peek = make_counter()
print("made; first value alive")
print("increment ->", inc())
print("increment ->", inc())
print("peek ->", peek())
del inc
print("increment gone, peek still holds the cell:", peek())
del peek
print("both gone")

total = 0


def add(n):
    global total
    total = total + n


for i in range(5):
    add(i)
print("global total:", total)

# Expected output (CPython 3.11):
# made; first value alive
#   del value 0
# increment -> 1
#   del value 1
# increment -> 2
# peek -> 2
# increment gone, peek still holds the cell: 2
#   del value 2
# both gone
# global total: 10
