"""Resurrection: __del__ runs at most once (chapter "__del__ pitfalls").

A Phoenix stores itself in a global list from its __del__, so it comes back to life. When it
dies again, __del__ is not called again (the FINALIZED flag), on the refcount path and on the
GC path. On the GC path the collector recomputes reachability after the finalizers (3.9+): the
resurrected object and everything it reaches survive; gc.collect() counts nothing.

The collector scenario `resurrection.py` (`PyObject_CallFinalizerFromDealloc`,
`handle_resurrected_objects`).
"""
import gc

gc.disable()
gc.collect()

survivors = []


class C:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name)


class Phoenix(C):
    def __del__(self):
        print("__del__", self.name)
        survivors.append(self)


print("refcount path:")
x = Phoenix("x")
del x
print("resurrected:", len(survivors), "finalized:", gc.is_finalized(survivors[0]))
survivors.clear()
print("died again")

print("GC path:")
a = Phoenix("a")
b = C("b")
a.b = b
b.a = a
del a, b
print("collected", gc.collect(), "resurrected:", len(survivors))
survivors.clear()
print("collected", gc.collect())

# Expected output (CPython 3.11):
# refcount path:
# __del__ x
# resurrected: 1 finalized: True
# died again
# GC path:
# __del__ a
# __del__ b
# collected 0 resurrected: 1
# collected 2
