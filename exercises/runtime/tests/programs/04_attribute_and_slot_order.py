"""Instance attributes die in the order they were first set; __slots__ in sorted name order.

In 3.11 a plain instance keeps its attributes in a values array (no `__dict__` until asked);
`subtype_dealloc` -> `_PyObject_FreeInstanceAttributes` (Objects/dictobject.c) releases them
from index 0, i.e. in the order the attribute names were first added to the class's shared keys
(even for an instance that set them in another order, as `q` does).
For `__slots__`, `type_new` sorts the slot names (Objects/typeobject.c, "mangle names and sort
them"), and `clear_slots` releases them in that member order: here a, m, z. A subclass's own
slots are cleared before its base's.
"""
import gc

gc.disable()


class Item:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  del", self.name)


class Plain:
    pass


class Slotted:
    __slots__ = ("z", "a", "m")


class Sub(Slotted):
    __slots__ = ("y", "b")


print("plain instance, set first, second, third:")
p = Plain()
p.first = Item("first")
p.second = Item("second")
p.third = Item("third")
del p
print("another instance, set third, then first:")
q = Plain()
q.third = Item("third")
q.first = Item("first")
del q
print("__slots__ = ('z', 'a', 'm'):")
s = Slotted()
s.z = Item("z")
s.a = Item("a")
s.m = Item("m")
del s
print("subclass with __slots__ = ('y', 'b'):")
s = Sub()
s.z = Item("z")
s.y = Item("y")
s.a = Item("a")
s.b = Item("b")
del s
print("end")

# Expected output (CPython 3.11):
# plain instance, set first, second, third:
#   del first
#   del second
#   del third
# another instance, set third, then first:
#   del first
#   del third
# __slots__ = ('z', 'a', 'm'):
#   del a
#   del m
#   del z
# subclass with __slots__ = ('y', 'b'):
#   del b
#   del y
#   del a
#   del z
# end
