"""sys.getrefcount: watch a count go up and down.

`sys.getrefcount(x)` returns `Py_REFCNT(x)`, which includes the reference held by its own
argument: a fresh list bound to one name reports 2. Every name, list slot, dict value or
attribute that refers to the object adds 1; a function parameter adds 1 while the call runs.
An instance that refers to itself counts its own reference too.
"""
import sys


class Box:
    pass


data = []
print("one name", sys.getrefcount(data), sep=": ")
alias = data
print("two names:", sys.getrefcount(data))
pair = [data, data]
print("+ twice in a list:", sys.getrefcount(data))
table = {"key": data}
print("+ a dict value:", sys.getrefcount(data))
box = Box()
box.content = data
print("+ an attribute:", sys.getrefcount(data))


def inside(param):
    return sys.getrefcount(param)


print("inside a call:", inside(data))
del alias
pair.pop()
table.clear()
del box.content
print("after dropping four:", sys.getrefcount(data))

print("fresh instance:", sys.getrefcount(box))
box.me = box
print("refers to itself:", sys.getrefcount(box))
box.me = None
print("self reference dropped:", sys.getrefcount(box))
print("a temporary:", sys.getrefcount([1, 2, 3]))

# Expected output (CPython 3.11):
# one name: 2
# two names: 3
# + twice in a list: 5
# + a dict value: 6
# + an attribute: 7
# inside a call: 8
# after dropping four: 3
# fresh instance: 2
# refers to itself: 3
# self reference dropped: 2
# a temporary: 1
