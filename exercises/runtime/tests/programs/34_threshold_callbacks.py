"""gc.set_threshold and gc.callbacks: watch the automatic collections happen.

With thresholds (100, 3, 10), generation 0 is collected as soon as its count passes 100
(`_PyObject_GC_Link` -> `gc_collect_generations`). Each such collection adds 1 to generation
1's count; once that passes 3, the next collection takes generation 1 instead (and zeroes both
younger counts). Each collection calls every function in `gc.callbacks` twice, with "start" and
"stop" (`invoke_gc_callback`); the "stop" info says how many objects it found.
The loop makes 1050 self-referencing instances, all garbage: everything is collected, by the
automatic collections or by the final `gc.collect()`.
"""
import gc

gc.collect()
gc.set_threshold(100, 3, 10)
total = 0


def watch(phase, info):
    global total
    if phase == "stop":
        total = total + info["collected"]
    print(phase, "generation", info["generation"])


class Blob:
    pass


gc.callbacks.append(watch)
for i in range(1050):
    b = Blob()
    b.me = b
del b
gc.callbacks.remove(watch)
automatic = total
rest = gc.collect()
print("found by automatic collections:", automatic > 900, "- in all:", automatic + rest)
gc.set_threshold(700, 10, 10)
print("thresholds:", gc.get_threshold())

# Expected output (CPython 3.11):
# start generation 0
# stop generation 0
# start generation 0
# stop generation 0
# start generation 0
# stop generation 0
# start generation 0
# stop generation 0
# start generation 1
# stop generation 1
# start generation 0
# stop generation 0
# start generation 0
# stop generation 0
# start generation 0
# stop generation 0
# start generation 0
# stop generation 0
# start generation 1
# stop generation 1
# found by automatic collections: True - in all: 1050
# thresholds: (700, 10, 10)
