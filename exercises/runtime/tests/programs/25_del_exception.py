"""An exception in __del__ (chapter "__del__ pitfalls").

The exception cannot propagate: slot_tp_finalize reports it with PyErr_WriteUnraisable, which
calls sys.unraisablehook; the default hook prints to stderr. The program (and the collection)
go on. Same text on the refcount path and on the GC path.

The collector scenario `del_exception.py`. The only program here whose expected output is
normalised: the report names the function with its address, and shows a traceback with the
file's path. Each address is written `0x…`, and of the traceback only its first line is kept
(the indented lines are left out), as `normalise` in tests/chapters/ch14_runtime/expected.rs
does to the runtime's output.
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
# Traceback (most recent call last):
# ValueError: boom
# refcount path done
# __del__ a
# Exception ignored in: <function C.__del__ at 0x…>
# Traceback (most recent call last):
# ValueError: boom
# collected 1
