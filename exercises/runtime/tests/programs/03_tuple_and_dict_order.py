"""Tuples release their items last to first; dicts release theirs first to last.

`tupledealloc` (Objects/tupleobject.c) counts down like `list_dealloc`. A dict's entries are
released in insertion order: `dict_dealloc` -> `dictkeys_decref` -> `free_keys_object`
(Objects/dictobject.c) walks the entry table from index 0, releasing each key and then its
value. Dict comprehensions insert in loop order, so they die in loop order too.
"""
import gc

gc.disable()


class Item:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("  del", self.n)


print("tuple:")
t = tuple([Item(0), Item(1), Item(2)])
del t
print("dict, Item values:")
d = {"x": Item(0), "y": Item(1), "z": Item(2)}
del d
print("dict, Item keys:")
d = {Item(10): "a", Item(11): "b"}
d = None
print("dict comprehension, updated then emptied by clear():")
d = {k: Item(k) for k in range(3)}
d[1] = Item(5)
print("  replaced value 1")
d.clear()
print("end")

# Expected output (CPython 3.11):
# tuple:
#   del 2
#   del 1
#   del 0
# dict, Item values:
#   del 0
#   del 1
#   del 2
# dict, Item keys:
#   del 10
#   del 11
# dict comprehension, updated then emptied by clear():
#   del 1
#   replaced value 1
#   del 0
#   del 5
#   del 2
# end
