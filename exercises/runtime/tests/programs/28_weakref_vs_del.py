"""Weakref callbacks and __del__: which runs first? (chapters "Weak references" and "__del__
pitfalls").

GC path: the collector clears the weakrefs and runs their callbacks (handle_weakrefs) before
any finalizer (finalize_garbage). Refcount path: subtype_dealloc calls the finalizer first,
then clears the weakrefs and runs the callbacks (PyObject_ClearWeakRefs).

The collector scenario `weakref_vs_del.py`.
"""
import gc
import weakref

gc.disable()
gc.collect()


class C:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name)


def callback(name):
    return lambda wr: print("wr-callback", name)


print("GC path:")
a, b, c = C("a"), C("b"), C("c")
a.next, b.next, c.next = b, c, a
wa = weakref.ref(a, callback("a"))
wb = weakref.ref(b, callback("b"))
del a, b, c
print("collected", gc.collect())

print("refcount path:")
d = C("d")
wd = weakref.ref(d, callback("d"))
del d

# Expected output (CPython 3.11):
# GC path:
# wr-callback a
# wr-callback b
# __del__ a
# __del__ b
# __del__ c
# collected 3
# refcount path:
# __del__ d
# wr-callback d
