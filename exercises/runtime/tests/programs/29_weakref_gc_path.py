"""Weak references on the GC path (the collector scenario `weakref_gc_path.py`).

1. A weakref kept in a registry, with a callback that removes it from the registry (the
   pattern of WeakValueDictionary): its referent is a garbage cycle. `handle_weakrefs` clears
   it and runs the callback, which frees the weakref; gc.collect() counts it: 2 + 1 = 3.
2. A weakref that is itself garbage (only its own referent holds it): cleared, its callback
   never runs; gc.collect() counts the object and the weakref.
3. A garbage object holding a weakref to a live object: the weakref dies with the garbage,
   its callback does not run, and the live object is untouched.
(The scenario's registry is a set; here it is a list, and part 3 checks the survivor directly.)
"""
import gc
import weakref

gc.disable()
gc.collect()


class C:
    pass


registry = []


def forget(wr):
    print("forget")
    registry.remove(wr)


def never(wr):
    print("never")


a, b = C(), C()
a.b = b
b.a = a
registry.append(weakref.ref(a, forget))
del a, b
print("registry cycle:", gc.collect(), "collected,", len(registry), "left in registry")

s = C()
s.me = s
s.wr = weakref.ref(s, never)
del s
print("self weakref:", gc.collect(), "collected")

x = C()
x.name = "x"
y = C()
y.me = y
y.wr = weakref.ref(x, never)
del y
print("weakref to a live object:", gc.collect(), "collected;", x.name, "is fine")
print("a new weakref to x is alive:", weakref.ref(x)() is x)

# Expected output (CPython 3.11):
# forget
# registry cycle: 3 collected, 0 left in registry
# self weakref: 2 collected
# weakref to a live object: 2 collected; x is fine
# a new weakref to x is alive: True
