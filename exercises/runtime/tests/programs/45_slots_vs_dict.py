"""__slots__ versus the per-instance namespace.

3.11 instances of a plain class report 56 bytes: 16 header + 8 weakref slot + 16 GC header +
16 for the values and dict pointers before it (`_PyType_PreHeaderSize`). The attribute values
live in a separate array, not counted; asking for `__dict__` builds a real dict next to it.
With `__slots__ = ("x", "y")` the values are stored in the object itself (16 + 2 x 8 + 16 = 48)
and there is no `__dict__` and no weakref slot. A subclass that does not declare `__slots__`
gets both back (48 + 8 + 16 = 72); one that declares its own adds a slot (56). Assigning a name that is not a slot raises AttributeError.
"""
import sys


class Plain:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Slotted:
    __slots__ = ("x", "y")

    def __init__(self, x, y):
        self.x = x
        self.y = y


class Loose(Slotted):
    pass


class Three(Slotted):
    __slots__ = ("z",)


p = Plain(1, 2)
s = Slotted(1, 2)
print("Plain:", sys.getsizeof(p), "Slotted:", sys.getsizeof(s))
print("Loose:", sys.getsizeof(Loose(1, 2)), "Three:", sys.getsizeof(Three(1, 2)))
print("has __dict__:", hasattr(p, "__dict__"), hasattr(s, "__dict__"), hasattr(Loose(1, 2), "__dict__"))
print("p.__dict__:", p.__dict__, "- p still reports", sys.getsizeof(p))
try:
    s.z = 3
except AttributeError as e:
    print("AttributeError:", e)
del s.x
try:
    print(s.x)
except AttributeError as e:
    print("AttributeError:", e)

many_plain = [Plain(i, i) for i in range(1000)]
many_slotted = [Slotted(i, i) for i in range(1000)]
print("1000 of each, getsizeof total:", sum([sys.getsizeof(o) for o in many_plain]),
      sum([sys.getsizeof(o) for o in many_slotted]))

# Expected output (CPython 3.11):
# Plain: 56 Slotted: 48
# Loose: 72 Three: 56
# has __dict__: True False True
# p.__dict__: {'x': 1, 'y': 2} - p still reports 56
# AttributeError: 'Slotted' object has no attribute 'z'
# AttributeError: 'Slotted' object has no attribute 'x'
# 1000 of each, getsizeof total: 56000 48000
