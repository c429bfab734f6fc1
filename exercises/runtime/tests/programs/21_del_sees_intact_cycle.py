"""Inside __del__, the rest of a garbage cycle is still intact (PEP 442).

The collector first calls every finalizer of the unreachable set (`finalize_garbage`), and only
afterwards breaks the cycles with `tp_clear` (`delete_garbage`). So each `__del__` can still
read its partner's attributes. An object hanging off the cycle (the `log` list and the `Note`)
is unreachable too: it is finalized in the same pass, in gc-list order, and freed when
`tp_clear` releases the references to it.
"""
import gc

gc.disable()
gc.collect()


class Note:
    def __del__(self):
        print("  Note finalized")


class Peer:
    def __init__(self, name):
        self.name = name
        self.partner = None

    def __del__(self):
        print("  __del__", self.name, "sees partner", self.partner.name,
              "whose partner is", self.partner.partner.name)


a = Peer("a")
b = Peer("b")
a.partner = b
b.partner = a
a.log = [Note()]
del a, b
print("collect:")
n = gc.collect()
print("collected", n)

# Expected output (CPython 3.11):
# collect:
#   __del__ a sees partner b whose partner is a
#   __del__ b sees partner a whose partner is b
#   Note finalized
# collected 4
