"""An object dies the moment its last reference goes away.

CPython counts references. `del name` only removes a name; when the count of the object it named
reaches 0, `_Py_Dealloc` runs at once: for a class with `__del__`, `subtype_dealloc`
(Objects/typeobject.c) calls the finalizer before the memory is freed. No collector is involved,
so the order of the printed lines is fully determined.
"""
import gc

gc.disable()


class Tracked:
    def __init__(self, name):
        self.name = name
        print("create", name)

    def __del__(self):
        print("destroy", self.name)


a = Tracked("a")
b = a
print("two names, one object")
del a
print("after del a: b still refers to", b.name)
del b
print("after del b")

c = Tracked("c")
c = Tracked("d")
print("rebinding c freed the first object only after the second was made")
c = None
print("c is None now")
Tracked("temporary")
print("end")

# Expected output (CPython 3.11):
# create a
# two names, one object
# after del a: b still refers to a
# destroy a
# after del b
# create c
# create d
# destroy c
# rebinding c freed the first object only after the second was made
# destroy d
# c is None now
# create temporary
# destroy temporary
# end
