"""gc.freeze(): move every tracked object into a permanent generation the collector ignores.

`gc.freeze()` (`gc_freeze_impl`) merges all three generation lists into
`permanent_generation` and zeroes the counts; collections no longer look at those objects, even
when they become garbage. `gc.unfreeze()` merges them back into generation 2, where the next
full collection finds them. (Meant for servers that fork: untouched objects keep their pages
shared.) The frozen count is printed only as a comparison: it includes the interpreter's own
objects.
"""
import gc

gc.disable()
gc.collect()


class Node:
    def __del__(self):
        print("  __del__")


a = Node()
a.me = a
print("frozen before:", gc.get_freeze_count())
gc.freeze()
frozen = gc.get_freeze_count()
print("frozen after: more than 0:", frozen > 0, "- counts:", gc.get_count())
del a
print("garbage cycle frozen; collect:", gc.collect())
b = Node()
b.me = b
del b
print("a new cycle is not frozen; collect:")
print("collected", gc.collect())
print("still frozen:", gc.get_freeze_count() == frozen)
gc.unfreeze()
print("unfrozen:", gc.get_freeze_count())
print("collect:")
print("collected", gc.collect())

# Expected output (CPython 3.11):
# frozen before: 0
# frozen after: more than 0: True - counts: (0, 0, 0)
# garbage cycle frozen; collect: 0
# a new cycle is not frozen; collect:
#   __del__
# collected 1
# still frozen: True
# unfrozen: 0
# collect:
#   __del__
# collected 1
