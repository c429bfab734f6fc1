"""A weak reference finds an object without keeping it alive.

`weakref.ref(obj)` does not add to the count: calling the ref gives the object while it lives
and None afterwards. On the refcount path the callback runs right after `__del__`
(`subtype_dealloc` -> `PyObject_ClearWeakRefs`), with the dead ref as argument. A ref without a
callback is shared: asking twice gives the same object (`weakref___new__` reuses the basic ref).
Lists, ints and `__slots__` classes without `'__weakref__'` cannot be weakly referenced.
"""
import gc
import sys
import weakref

gc.disable()


class Target:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  __del__", self.name)


t = Target("t")
before = sys.getrefcount(t)
r1 = weakref.ref(t)
r2 = weakref.ref(t)
print("count unchanged:", sys.getrefcount(t) == before, "shared:", r1 is r2)
print("r1() is t:", r1() is t, "name:", r1().name)
r3 = weakref.ref(t, lambda ref: print("  callback, ref is r3:", ref is r3, "ref():", ref()))
print("with a callback it is a new ref:", r3 is r1)
print("del t:")
del t
print("after: r1()", r1(), "r3()", r3())


class Slim:
    __slots__ = ("x",)


class SlimWeak:
    __slots__ = ("x", "__weakref__")


for value in [[1, 2], 7, Slim(), SlimWeak()]:
    try:
        weakref.ref(value)
        print(type(value).__name__, "can be weakly referenced")
    except TypeError as e:
        print(e)

# Expected output (CPython 3.11):
# count unchanged: True shared: True
# r1() is t: True name: t
# with a callback it is a new ref: False
# del t:
#   __del__ t
#   callback, ref is r3: True ref(): None
# after: r1() None r3() None
# cannot create weak reference to 'list' object
# cannot create weak reference to 'int' object
# cannot create weak reference to 'Slim' object
# SlimWeak can be weakly referenced
