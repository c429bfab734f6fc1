"""gc.is_tracked: which objects the collector watches, and the two lazy untrackings.

Atoms (int, str, float, None) can never form a cycle: they are not GC objects. Lists, sets and
instances are always tracked. Tuples start tracked; every collection runs `untrack_tuples`,
which untracks a tuple whose items are all untracked (here one nesting level per collection,
because `move_unreachable` put the outer tuple before the inner one). A dict starts untracked
and is tracked when it gets a value that may be a container (`MAINTAIN_TRACKING`); only a full
collection (`untrack_dicts`) untracks a dict of atoms again.
"""
import gc

gc.disable()


class Plain:
    pass


print("int", gc.is_tracked(int("7")), "str", gc.is_tracked("abc"),
      "float", gc.is_tracked(0.5), "None", gc.is_tracked(None))
print("list", gc.is_tracked([]), "set", gc.is_tracked(set()), "instance", gc.is_tracked(Plain()))
atoms = tuple([1, "a"])
holder = tuple([1, []])
print("tuple of atoms", gc.is_tracked(atoms), "- tuple with a list", gc.is_tracked(holder))
gc.collect()
print("after collect:", gc.is_tracked(atoms), gc.is_tracked(holder))

nested = tuple([tuple([1]), 2])
gc.collect()
print("nested after one collect:", gc.is_tracked(nested), gc.is_tracked(nested[0]))
gc.collect()
print("nested after two:", gc.is_tracked(nested), gc.is_tracked(nested[0]))

d = {}
print("empty dict", gc.is_tracked(d))
d["n"] = 1
print("dict of atoms", gc.is_tracked(d))
d["t"] = tuple([1, 2])
print("dict holding a tuple", gc.is_tracked(d))
gc.collect(0)
print("after collect(0)", gc.is_tracked(d), "- its tuple", gc.is_tracked(d["t"]))
gc.collect()
print("after a full collect", gc.is_tracked(d))
d["l"] = [1]
del d["l"]
print("a list came and went", gc.is_tracked(d))

# Expected output (CPython 3.11):
# int False str False float False None False
# list True set True instance True
# tuple of atoms True - tuple with a list True
# after collect: False True
# nested after one collect: True False
# nested after two: False False
# empty dict False
# dict of atoms False
# dict holding a tuple True
# after collect(0) True - its tuple False
# after a full collect False
# a list came and went True
