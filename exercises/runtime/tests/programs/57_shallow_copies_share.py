"""Copying a container copies references, not objects.

`lst[:]`, `list(lst)`, `lst + []` and `lst * 2` make new lists whose slots point at the same
items: each item's count goes up by one per new slot (`list_slice` and `list_repeat` INCREF
every item they copy). A nested list copied this way still shares its inner lists, so a change
through one copy shows in the other. The items die only when the last container holding them
does.
"""
import gc
import sys

gc.disable()


class Cell:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  del", self.name)


a = Cell("a")
b = Cell("b")
original = [a, b]
print("count of a:", sys.getrefcount(a))
copy1 = original[:]
copy2 = list(original)
doubled = original * 2
print("after a slice, a list() and a * 2:", sys.getrefcount(a))
print("same item:", copy1[0] is original[0], "- same list:", copy1 is original)
del a, b
original.clear()
copy1.clear()
print("cleared two lists, nothing died")
del copy2
print("copy2 gone, nothing died")
del doubled
print("the last list is gone")

grid = [[0, 0], [0, 0]]
shallow = grid[:]
shallow[0][0] = 5
print("grid after changing shallow[0][0]:", grid)
shallow[1] = [7, 7]
print("grid after replacing shallow[1]:", grid, "- shallow:", shallow)

# Expected output (CPython 3.11):
# count of a: 3
# after a slice, a list() and a * 2: 7
# same item: True - same list: False
# cleared two lists, nothing died
# copy2 gone, nothing died
#   del b
#   del a
# the last list is gone
# grid after changing shallow[0][0]: [[5, 0], [0, 0]]
# grid after replacing shallow[1]: [[5, 0], [0, 0]] - shallow: [[5, 0], [7, 7]]
