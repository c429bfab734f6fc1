"""weakref.finalize: a cleanup that runs once, when the object dies or when called.

`weakref.finalize(obj, func, arg)` (Lib/weakref.py) keeps a weak reference to `obj` with a
callback, and keeps itself alive in a registry. It calls `func(arg)` when `obj` dies, or
earlier if you call the finalizer yourself; either way only once (`alive` turns False).
A finalizer whose object is still alive when the program ends runs at exit (its `atexit`
attribute is True by default): the last line below is printed during shutdown.
"""
import gc
import weakref

gc.disable()


class Conn:
    def __init__(self, name):
        self.name = name


def close(name):
    print("  closing", name)
    return "closed " + name


a = Conn("a")
fa = weakref.finalize(a, close, "a")
print("alive:", fa.alive)
print("del a:")
del a
print("alive:", fa.alive)

b = Conn("b")
fb = weakref.finalize(b, close, "b")
print("call it early:", fb())
print("call it again:", fb(), "alive:", fb.alive)
del b
print("b dropped: nothing runs")

c = Conn("c")
c.me = c
fc = weakref.finalize(c, close, "c")
del c
print("c in a cycle, dropped; collect:")
gc.collect()
print("alive:", fc.alive)

d = Conn("d")
fd = weakref.finalize(d, close, "d")
print("end of program")

# Expected output (CPython 3.11):
# alive: True
# del a:
#   closing a
# alive: False
#   closing b
# call it early: closed b
# call it again: None alive: False
# b dropped: nothing runs
# c in a cycle, dropped; collect:
#   closing c
# alive: False
# end of program
#   closing d
