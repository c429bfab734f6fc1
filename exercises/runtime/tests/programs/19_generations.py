"""Objects that survive a collection move to an older generation.

`gc.collect(0)` examines only generation 0, the objects allocated since the last collection.
Survivors are merged into generation 1 (`gc_list_merge(young, old)` in `gc_collect_main`), so a
cycle that becomes garbage after surviving once is invisible to `collect(0)`: it takes
`collect(1)` (or a full `collect()`). Collecting generation g also adds 1 to the count of
generation g+1: `get_count()` shows it.
"""
import gc

gc.disable()
gc.collect()


class Node:
    pass


def cycle():
    a = Node()
    b = Node()
    a.other = b
    b.other = a
    return a


young = cycle()
print("held, collect(0):", gc.collect(0))
del young
print("dropped after surviving once, collect(0):", gc.collect(0))
print("collect(1):", gc.collect(1))

fresh = cycle()
del fresh
print("garbage still in generation 0, collect(0):", gc.collect(0))

old = cycle()
gc.collect(0)
gc.collect(1)
del old
print("promoted twice, collect(1):", gc.collect(1))
print("collect(2):", gc.collect(2))

gc.collect()
gc.collect(0)
c1 = gc.get_count()
gc.collect(0)
c2 = gc.get_count()
gc.collect(1)
c3 = gc.get_count()
print("counts after collect(0), collect(0), collect(1):", c1[1:], c2[1:], c3[1:])

# Expected output (CPython 3.11):
# held, collect(0): 0
# dropped after surviving once, collect(0): 0
# collect(1): 2
# garbage still in generation 0, collect(0): 2
# promoted twice, collect(1): 0
# collect(2): 2
# counts after collect(0), collect(0), collect(1): (1, 0) (2, 0) (0, 1)
