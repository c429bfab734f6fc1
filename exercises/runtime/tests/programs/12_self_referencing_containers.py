"""A container that holds itself never reaches a count of 0.

`l.append(l)` gives the list a reference to itself: after `del l` its count is still 1, so
reference counting never frees it. `gc.collect()` finds it: in `subtract_refs` the list's own
reference cancels its count, nothing outside holds it, and `delete_garbage` calls `tp_clear`
(here `_list_clear`). The return value counts each unreachable object once.
`repr` of such a list prints `[...]` for the inner occurrence (`Py_ReprEnter`).
"""
import gc
import sys

gc.disable()
gc.collect()

l = [1, 2]
l.append(l)
print(l, len(l))
print("refcount:", sys.getrefcount(l))
del l
print("a list that holds itself:", gc.collect())

d = {"name": "d"}
d["me"] = d
print(d)
del d
print("a dict that holds itself:", gc.collect())

a = []
b = [a]
a.append(b)
print(a)
del a, b
print("two lists holding each other:", gc.collect())

x = []
t = (x,)
x.append(t)
print(x)
del x, t
print("a list and a tuple:", gc.collect())
print("nothing left:", gc.collect())

# Expected output (CPython 3.11):
# [1, 2, [...]] 3
# refcount: 3
# a list that holds itself: 1
# {'name': 'd', 'me': {...}}
# a dict that holds itself: 1
# [[[...]]]
# two lists holding each other: 2
# [([...],)]
# a list and a tuple: 2
# nothing left: 0
