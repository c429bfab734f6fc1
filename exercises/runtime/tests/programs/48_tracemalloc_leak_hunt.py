"""Hunting a leak with tracemalloc: which line holds the memory?

`tracemalloc.start()` installs allocator hooks that record, for every block, the line that
allocated it (Modules/_tracemalloc.c). `get_traced_memory()` returns (current, peak) in bytes.
A snapshot's `statistics("lineno")` groups the live blocks by line, biggest first: the top one
is the leak, the `history.append` line (18), where 20 000 strs and the list's growing item array (one block,
reallocated in place of the old one) were allocated: 20 001 blocks.
Byte totals differ between builds, so only comparisons are printed.
"""
import tracemalloc

history = []


def handle(request_id):
    text = "request " + str(request_id)
    result = len(text)
    history.append(text * 3)  # the leak: every request is remembered
    return result


tracemalloc.start()
before, peak0 = tracemalloc.get_traced_memory()
for i in range(20000):
    handle(i)
after, peak1 = tracemalloc.get_traced_memory()
print("grew by more than 1 MB:", after - before > 1_000_000)
print("peak at least current:", peak1 >= after)

snapshot = tracemalloc.take_snapshot()
stats = snapshot.statistics("lineno")
top = stats[0]
print("top line:", top.traceback[0].lineno, "blocks:", top.count)
print("more than 60 bytes per request:", top.size > 20000 * 60)
history.clear()
now, peak2 = tracemalloc.get_traced_memory()
print("after clearing the history, back near the start:", now - before < 100_000)
tracemalloc.stop()
print("stopped:", tracemalloc.is_tracing(), tracemalloc.get_traced_memory())

# Expected output (CPython 3.11):
# grew by more than 1 MB: True
# peak at least current: True
# top line: 18 blocks: 20001
# more than 60 bytes per request: True
# after clearing the history, back near the start: True
# stopped: False (0, 0)
