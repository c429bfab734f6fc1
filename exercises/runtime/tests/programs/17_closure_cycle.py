"""A recursive inner function is a cycle: function -> closure cell -> function.

`inner` refers to itself through a cell (the free variable `inner`); its cells are kept in a
tuple, the function's `__closure__`. So the function returned by `make_recursive` lives on after
the last name is gone, together with what its cells hold, until `gc.collect()` frees five GC
objects: the function, its `__closure__` tuple, the two cells (`data` and `inner`) and the
Payload (`func_traverse`, `cell_traverse` in Objects/). A closure that does not refer to itself
is freed at once by reference counting.
"""
import gc

gc.disable()
gc.collect()


class Payload:
    def __del__(self):
        print("  payload freed")


def make_recursive():
    data = Payload()

    def inner(n):
        if n <= 0:
            return data
        return inner(n - 1)

    return inner


def make_plain():
    data = Payload()

    def show():
        return data

    return show


f = make_recursive()
print("found the payload:", f(3) is not None)
del f
print("dropped the recursive closure; collect:")
print("collected", gc.collect())
g = make_plain()
print("plain closure holds a payload:", g() is not None)
del g
print("collected", gc.collect())

# Expected output (CPython 3.11):
# found the payload: True
# dropped the recursive closure; collect:
#   payload freed
# collected 5
# plain closure holds a payload: True
#   payload freed
# collected 0
