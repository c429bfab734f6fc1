"""Weak references on the GC path (chapter "Weak references").

1. A weakref kept in a registry, with a callback that removes it from the registry (the
   pattern of WeakValueDictionary): its referent is a garbage cycle. The callback runs, frees
   the weakref, and gc.collect() counts it: 2 objects of the cycle + 1 weakref = 3.
2. A weakref that is itself garbage (only its own referent holds it): cleared, its callback
   never runs; gc.collect() counts the object and the weakref.
3. A garbage object holding a weakref to a live object: the weakref is cleared with the
   garbage; the live object keeps no weakref.

Replayed in Rust by `ch06_weakref::gc_path_scenario_matches_cpython`; run on python3 by
`solutions/collector/tests/scenarios.rs`.
"""
import gc
import weakref

gc.disable()
gc.collect()


class C:
    pass


registry = set()


def forget(wr):
    print("forget")
    registry.discard(wr)


def never(wr):
    print("never")


a, b = C(), C()
a.b = b
b.a = a
registry.add(weakref.ref(a, forget))
del a, b
print("registry cycle:", gc.collect(), "collected,", len(registry), "left in registry")

s = C()
s.me = s
s.wr = weakref.ref(s, never)
del s
print("self weakref:", gc.collect(), "collected")

x = C()
y = C()
y.me = y
y.wr = weakref.ref(x, never)
del y
print("weakref to a live object:", gc.collect(), "collected,", weakref.getweakrefcount(x), "weakrefs left")

# Expected output (CPython 3.11):
# forget
# registry cycle: 3 collected, 0 left in registry
# self weakref: 2 collected
# weakref to a live object: 2 collected, 0 weakrefs left
