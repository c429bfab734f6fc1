"""Five two-node cycles: what gc.collect() returns (chapter "Cycles").

Each pair refers to each other, so reference counting frees none of the ten objects. The
collector finds them, and gc.collect() returns how many unreachable objects it found: 10 in
3.11 (20 in 3.8 and 3.10, which also count each instance's __dict__).

Replayed in Rust by `ch05_cycles::five_two_node_cycles_make_collect_return_ten`; run on
python3 by `solutions/collector/tests/scenarios.rs`.
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

# Expected output (CPython 3.11):
# 10
