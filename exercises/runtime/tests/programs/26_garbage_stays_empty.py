"""gc.garbage stays empty for cycles with __del__ (3.4+), unless DEBUG_SAVEALL asks for it.

Before PEP 442 (3.4) a cycle with `__del__` methods was uncollectable and ended up in
`gc.garbage`. In 3.11 only objects with a C-level `tp_del` go there. With
`gc.set_debug(gc.DEBUG_SAVEALL)`, `delete_garbage` appends every unreachable object to
`gc.garbage` instead of clearing it: the objects stay alive, finalized, until you drop the list.
"""
import gc

gc.disable()
gc.collect()


class Res:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  __del__", self.name)


def make_cycle(name):
    r = Res(name)
    r.items = [r]


make_cycle("first")
print("collected", gc.collect(), "garbage", len(gc.garbage))

gc.set_debug(gc.DEBUG_SAVEALL)
make_cycle("saved")
print("collected", gc.collect(), "garbage", len(gc.garbage))
kinds = sorted([type(x).__name__ for x in gc.garbage])
print("kinds:", kinds)
saved = [x for x in gc.garbage if isinstance(x, Res)][0]
print("still alive:", saved.name, "finalized:", gc.is_finalized(saved))
del saved
gc.set_debug(0)
gc.garbage.clear()
print("garbage cleared; collect:", gc.collect())

# Expected output (CPython 3.11):
#   __del__ first
# collected 2 garbage 0
#   __del__ saved
# collected 2 garbage 2
# kinds: ['Res', 'list']
# still alive: saved finalized: True
# garbage cleared; collect: 2
