"""gc.collect() inside __del__: 0 while a collection runs (chapter "__del__ pitfalls").

gc.collect() (gc_collect_impl) first checks the `collecting` flag, which stays set for the whole
of a collection: if a collection is already running, it returns 0 without collecting anything,
and the outer collection goes on undisturbed. A __del__ called by the collector (GC path) gets 0.
On the refcount path no collection is running: the same call collects for real (here: one
garbage cycle, a list that contains itself).

The collector scenario `collect_in_del.py` (`gc_collect_impl`).
"""
import gc

gc.disable()
gc.collect()


class C:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name, "inner gc.collect():", gc.collect())


print("GC path:")
a = C("a")
b = C("b")
a.other = b
b.other = a
del a, b
print("outer gc.collect():", gc.collect())
print("refcount path:")
junk = []
junk.append(junk)
del junk
x = C("x")
del x

# Expected output (CPython 3.11):
# GC path:
# __del__ a inner gc.collect(): 0
# __del__ b inner gc.collect(): 0
# outer gc.collect(): 2
# refcount path:
# __del__ x inner gc.collect(): 1
