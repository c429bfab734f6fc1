"""When is the FINALIZED flag set? (chapter "__del__ pitfalls").

On the GC path, finalize_garbage sets the flag *before* calling __del__, so inside __del__
gc.is_finalized(self) is already True. On the refcount path, PyObject_CallFinalizer sets it
*after* the call: inside __del__ it is still False. Either way __del__ runs once.

The collector scenario `finalized_flag.py` (`finalize_garbage`, `PyObject_CallFinalizer`).
"""
import gc

gc.disable()
gc.collect()


class C:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name, "is_finalized:", gc.is_finalized(self))


x = C("x")
del x
a = C("a")
a.me = a
del a
print("collected", gc.collect())

# Expected output (CPython 3.11):
# __del__ x is_finalized: False
# __del__ a is_finalized: True
# collected 1
