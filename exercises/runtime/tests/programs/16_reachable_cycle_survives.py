"""The collector frees only what nothing outside can reach.

`move_unreachable` (Modules/gcmodule.c) starts from the objects whose count is larger than the
references coming from inside the collected set: something outside (here the global `keeper`)
holds them. Everything reachable from those survives, even when it is part of a cycle. Only when
the outside reference goes does the cycle become garbage.
"""
import gc

gc.disable()
gc.collect()


class Part:
    def __init__(self, name):
        self.name = name
        self.peer = None

    def __del__(self):
        print("  del", self.name)


a = Part("a")
b = Part("b")
a.peer = b
b.peer = a
keeper = [a]
del a, b
print("cycle held from outside:", gc.collect())
print("still there:", keeper[0].name, "<->", keeper[0].peer.name)

c = Part("c")
keeper[0].peer.peer = c  # b now points at c, and c back at a
c.peer = keeper[0]
del c
print("a longer cycle, still held:", gc.collect())
print("drop the outside reference:")
keeper.clear()
print("collected", gc.collect())

# Expected output (CPython 3.11):
# cycle held from outside: 0
# still there: a <-> b
# a longer cycle, still held: 0
# drop the outside reference:
#   del a
#   del b
#   del c
# collected 3
