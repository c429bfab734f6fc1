"""Five two-node cycles: what gc.collect() returns (the collector scenario `five_cycles.py`).

Each pair refers to each other, so reference counting frees none of the ten objects. The
collector finds them, and `gc.collect()` (`gc_collect_main`, Modules/gcmodule.c) returns how
many unreachable objects it found: 10 in 3.11. In 3.8 and 3.10 it returned 20, because every
instance also had its own `__dict__`; 3.11 keeps attributes in a values array and makes no dict.
"""
import gc

gc.disable()
gc.collect()  # start from a clean heap


class Node:
    pass


for i in range(5):
    a, b = Node(), Node()
    a.other = b
    b.other = a
del a, b

print(gc.collect())
attrs = 0
for i in range(5):
    a, b = Node(), Node()
    a.other = b
    b.other = a
    attrs = attrs + len(a.__dict__)  # materialises a's __dict__
del a, b
print("with", attrs, "dicts made by asking for a.__dict__:", gc.collect())

# Expected output (CPython 3.11):
# 10
# with 5 dicts made by asking for a.__dict__: 15
