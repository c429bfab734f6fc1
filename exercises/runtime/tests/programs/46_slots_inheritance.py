"""__slots__ and inheritance: what combines and what conflicts.

A class with non-empty `__slots__` fixes where its slots sit in the object. Two such bases
cannot both put theirs at the same offset: `best_base` (Objects/typeobject.c) raises
"multiple bases have instance lay-out conflict". An empty-slots mixin adds no layout, so it
combines with anything. Listing a base's slot name again in a subclass is allowed, but the
new slot hides the base one and costs 8 more bytes.
"""
import sys


class A:
    __slots__ = ("a",)


class B:
    __slots__ = ("b",)


class Mixin:
    __slots__ = ()

    def describe(self):
        return type(self).__name__ + " with " + str(sys.getsizeof(self)) + " bytes"


class AM(A, Mixin):
    __slots__ = ("c",)


try:
    class AB(A, B):
        pass
    print("AB created")
except TypeError as e:
    print("class AB(A, B):", e)

x = AM()
x.a = 1
x.c = 3
print(x.describe(), "- a + c:", x.a + x.c)
print("AM has a, c, b:", hasattr(x, "a"), hasattr(x, "c"), hasattr(x, "b"))


class Again(A):
    __slots__ = ("a",)


print("A:", sys.getsizeof(A()), "Again:", sys.getsizeof(Again()))
print("isinstance(x, Mixin):", isinstance(x, Mixin), "isinstance(x, B):", isinstance(x, B))

# Expected output (CPython 3.11):
# class AB(A, B): multiple bases have instance lay-out conflict
# AM with 48 bytes - a + c: 4
# AM has a, c, b: True True False
# A: 40 Again: 48
# isinstance(x, Mixin): True isinstance(x, B): False
