"""An exception in __del__ (chapter "__del__ pitfalls").

The exception cannot propagate: slot_tp_finalize reports it with PyErr_WriteUnraisable, which
calls sys.unraisablehook; the default hook prints to stderr. The program (and the collection)
go on. Same text on the refcount path and on the GC path.

The collector scenario `del_exception.py`. The only program here whose expected output is
normalised: the report names the function with its address, and shows a traceback with the
file's path. As `solutions/collector/tests/scenarios.rs` does, each address is written `0x…`
and the traceback lines are left out; compare the runtime's output normalised the same way.
"""
import gc

gc.disable()
gc.collect()


class C:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("__del__", self.name)
        raise ValueError("boom")


x = C("x")
del x
print("refcount path done")
a = C("a")
a.me = a
del a
print("collected", gc.collect())

# Expected output (CPython 3.11):
# __del__ x
# Exception ignored in: <function C.__del__ at 0x…>
# ValueError: boom
# refcount path done
# __del__ a
# Exception ignored in: <function C.__del__ at 0x…>
# ValueError: boom
# collected 1
