"""Legacy finalizers (tp_del) make a cycle uncollectable (chapter "__del__ pitfalls").

_testcapi.with_tp_del gives a class the C-level tp_del slot (the pre-PEP 442 finalizer). The
collector never calls it: the cycle, and everything reachable from it, stays alive (even the
__del__ of `child` does not run); the tp_del objects are appended to gc.garbage.
gc.collect() counts them all as "uncollectable".
On the refcount path, tp_del does run.

Replayed in Rust by `ch07_finalize::a_legacy_finalizer_cycle_ends_in_gc_garbage`; run on python3
by `solutions/collector/tests/scenarios.rs`.
"""
import gc

import _testcapi

gc.disable()
gc.collect()


class Named:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


class C(Named):
    def __del__(self):
        print("__del__", self.name)


@_testcapi.with_tp_del
class Legacy(Named):
    def __tp_del__(self):
        print("__tp_del__", self.name)


before = gc.get_stats()[2]["uncollectable"]
legacy = Legacy("legacy")
legacy.me = legacy
legacy.child = C("child")
del legacy
print("collected", gc.collect())
print("garbage", gc.garbage)
print("uncollectable", gc.get_stats()[2]["uncollectable"] - before)
print("refcount path:")
other = Legacy("other")
del other

# Expected output (CPython 3.11):
# collected 2
# garbage [legacy]
# uncollectable 2
# refcount path:
# __tp_del__ other
