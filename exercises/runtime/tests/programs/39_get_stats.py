"""gc.get_stats(): per-generation totals of collections, collected and uncollectable objects.

`gc_collect_main` ends by adding to `gcstate->generation_stats[gen]`: one more collection, and
the number of objects it found. The absolute numbers include whatever ran before the program,
so only differences are printed. Note that a collection of generation 2 is counted under
generation 2 only, although it examined all three.
"""
import gc

gc.disable()
gc.collect()


def snapshot():
    return [[s["collections"], s["collected"], s["uncollectable"]] for s in gc.get_stats()]


def make_garbage(n):
    for i in range(n):
        x = []
        x.append(x)


before = snapshot()
make_garbage(4)
gc.collect(0)
make_garbage(2)
gc.collect(1)
make_garbage(3)
gc.collect(1)
gc.collect()
after = snapshot()
for gen in range(3):
    diff = [after[gen][k] - before[gen][k] for k in range(3)]
    print(f"generation {gen}: collections +{diff[0]}, collected +{diff[1]}, uncollectable +{diff[2]}")
print("keys:", sorted(gc.get_stats()[0].keys()))

# Expected output (CPython 3.11):
# generation 0: collections +1, collected +4, uncollectable +0
# generation 1: collections +2, collected +5, uncollectable +0
# generation 2: collections +1, collected +0, uncollectable +0
# keys: ['collected', 'collections', 'uncollectable']
