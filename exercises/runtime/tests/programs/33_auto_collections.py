"""Automatic collections while 200 000 objects are created and kept (the collector scenario
`auto_collections.py`).

Every allocation of a GC object adds 1 to generation 0's count; past 700 the collector runs
generation 0 at once (3.11: from `_PyObject_GC_Link`). Every 11th time, generation 1's count has
passed 10 and generation 1 is collected instead. Generation 2's count passes 10 after 11
collections of generation 1, but the 25 % rule (`gc_collect_generations`) runs it only if the
objects promoted since the last full collection are at least a quarter of those that survived it.
The gc.callbacks hook records which generation each automatic collection takes.
"""
import gc

gc.collect()  # counts start at (0, 0, 0)
print("enabled:", gc.isenabled(), "thresholds:", gc.get_threshold())


class Obj:
    pass


generations = []


def record(phase, info):
    if phase == "start":
        generations.append(info["generation"])


gc.callbacks.append(record)
keep = []
for _ in range(200_000):
    keep.append(Obj())
gc.callbacks.remove(record)

print("collections:", len(generations))
print("per generation:", [generations.count(g) for g in range(3)])
runs = []
for g in generations:
    if runs and runs[-1][0] == g:
        runs[-1][1] += 1
    else:
        runs.append([g, 1])
print("first runs:", ", ".join([f"{g} x {n}" for g, n in runs[:4]]))
print("full collections at:", [i for i in range(len(generations)) if generations[i] == 2])

# Expected output (CPython 3.11):
# enabled: True thresholds: (700, 10, 10)
# collections: 285
# per generation: [260, 23, 2]
# first runs: 0 x 11, 1 x 1, 0 x 11, 1 x 1
# full collections at: [132, 265]
