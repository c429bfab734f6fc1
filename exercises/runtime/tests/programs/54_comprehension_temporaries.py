"""Temporaries in comprehensions and expressions die as soon as they are used.

`[Temp(i).value for i in ...]` makes each Temp, reads it, and drops it before the next one:
the list keeps only the values. A comprehension that keeps the objects builds a list of them,
which dies as a whole (last to first) when nothing refers to it. A dict comprehension's values
die first to last; `sorted` returns a new list and leaves the original alone.
"""
import gc

gc.disable()


class Temp:
    def __init__(self, value):
        self.value = value

    def __del__(self):
        print("  del", self.value)


print("values only:")
values = [Temp(i).value * 10 for i in range(3)]
print("values:", values)

print("objects kept, then only their count:")
count = len([Temp(i) for i in range(3, 6)])
print("count:", count)

print("dict comprehension:")
table = {name: Temp(name) for name in ["x", "y"]}
print("keys:", list(table.keys()))
table = None

print("sorted copy:")
objs = [Temp(9), Temp(7), Temp(8)]
order = sorted(objs, key=lambda t: t.value)
print("sorted:", [t.value for t in order], "original:", [t.value for t in objs])
del objs
print("original list gone, sorted copy holds them")
order = None
print("set comprehension of small ints:", sorted({v % 3 for v in range(10)}))

# Expected output (CPython 3.11):
# values only:
#   del 0
#   del 1
#   del 2
# values: [0, 10, 20]
# objects kept, then only their count:
#   del 5
#   del 4
#   del 3
# count: 3
# dict comprehension:
# keys: ['x', 'y']
#   del x
#   del y
# sorted copy:
# sorted: [7, 8, 9] original: [9, 7, 8]
# original list gone, sorted copy holds them
#   del 9
#   del 8
#   del 7
# set comprehension of small ints: [0, 1, 2]
