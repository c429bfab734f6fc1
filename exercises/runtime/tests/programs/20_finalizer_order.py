"""Finalizer order in a three-object cycle (chapter "__del__ pitfalls").

Created c, then b, then a, linked a -> b -> c -> a. The collector calls the finalizers in the
order of its gc list (creation order here), not in reference order: c, b, a. This is an
implementation detail of CPython, not a language guarantee.

The collector scenario `finalizer_order.py` (`finalize_garbage`, Modules/gcmodule.c).
"""
import gc

gc.disable()
gc.collect()


class C:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name)


c = C("c")
b = C("b")
a = C("a")
a.next = b
b.next = c
c.next = a
del a, b, c
print("collected", gc.collect())

# Expected output (CPython 3.11):
# __del__ c
# __del__ b
# __del__ a
# collected 3
