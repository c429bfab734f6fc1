"""`del` removes a reference, wherever it is: a name, an item, a slice, an attribute.

Each form ends in a `Py_DECREF` of the object it unlinks (`DELETE_NAME`/`DELETE_FAST`,
`DELETE_SUBSCR` -> `dict_ass_sub`/`list_ass_subscript`, `DELETE_ATTR`). The object dies only if
that was its last reference. Deleting something that is not there raises: NameError is outside
our subset, so the KeyError, IndexError and AttributeError cases are shown.
"""
import gc

gc.disable()


class Res:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  free", self.name)


holder = Res("holder")
holder.part = Res("part")
registry = {"a": Res("a"), "b": Res("b")}
queue = [Res("q0"), Res("q1"), Res("q2")]

print("del registry['a']:")
del registry["a"]
print("del queue[1]:")
del queue[1]
print("del holder.part:")
del holder.part
print("del a name that shares its object:")
other = registry["b"]
del registry["b"]
print("  still alive:", other.name)
try:
    del registry["missing"]
except KeyError as e:
    print("KeyError:", e)
try:
    del queue[5]
except IndexError as e:
    print("IndexError:", e)
try:
    del holder.part
except AttributeError as e:
    print("AttributeError:", e)
print("del holder, other, queue:")
del holder, other, queue
print("end")

# Expected output (CPython 3.11):
# del registry['a']:
#   free a
# del queue[1]:
#   free q1
# del holder.part:
#   free part
# del a name that shares its object:
#   still alive: b
# KeyError: 'missing'
# IndexError: list assignment index out of range
# AttributeError: 'Res' object has no attribute 'part'
# del holder, other, queue:
#   free holder
#   free b
#   free q2
#   free q0
# end
