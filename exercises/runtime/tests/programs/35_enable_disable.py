"""gc.disable() stops automatic collections, not counting; gc.enable() lets the next one run.

While disabled, allocations still add to generation 0's count, far past the threshold of 700,
but `_PyObject_GC_Link` starts no collection (`gcstate->enabled` is 0). Garbage cycles pile up.
After `gc.enable()`, the very next GC allocation finds the count above the threshold and
collects generation 0 at once, with all the piled-up cycles in it. `gc.collect()` works in
both states.
"""
import gc

gc.disable()
gc.collect()
log = []


def record(phase, info):
    log.append(phase + " " + str(info["generation"]) + " " + str(info["collected"]))


class Pair:
    pass


gc.callbacks.append(record)
for i in range(3000):
    a = Pair()
    a.other = Pair()
    a.other.other = a
del a
print("enabled:", gc.isenabled(), "- count over 6000:", gc.get_count()[0] >= 6000)
print("collections so far:", len(log))
gc.enable()
print("enabled:", gc.isenabled(), "- collections so far:", len(log))
trigger = Pair()
print("after one more allocation:", log)
print("count now small:", gc.get_count()[0] < 10)
gc.disable()
cycle = Pair()
cycle.me = cycle
del cycle
print("disabled again; explicit collect:", gc.collect(), log[-1])
gc.callbacks.remove(record)
gc.enable()

# Expected output (CPython 3.11):
# enabled: False - count over 6000: True
# collections so far: 0
# enabled: True - collections so far: 0
# after one more allocation: ['start 0 0', 'stop 0 6000']
# count now small: True
# disabled again; explicit collect: 1 stop 2 1
