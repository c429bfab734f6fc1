"""Peak versus current memory: a temporary that is gone but was once there.

tracemalloc keeps the highest total it has seen (`tracemalloc_peak_traced_memory`). Building a
big temporary list and dropping it leaves `current` where it was but raises `peak` by at least
the list's item array (8 bytes per slot). `sum(range(n))` makes each int, adds it and drops it:
nothing accumulates, and the peak barely moves. Only comparisons are printed.
"""
import gc
import tracemalloc

gc.disable()


def total_with_list(n):
    items = list(range(n))  # 8 bytes per item for the array, plus an int object per item
    return sum(items)


def total_with_range(n):
    return sum(range(n))


tracemalloc.start()
base, base_peak = tracemalloc.get_traced_memory()
print("sum:", total_with_range(300_000))
cur1, peak1 = tracemalloc.get_traced_memory()
print("range: current back to the start:", cur1 - base < 1000,
      "- peak grew by less than 10 kB:", peak1 - base < 10_000)
print("sum:", total_with_list(300_000))
cur2, peak2 = tracemalloc.get_traced_memory()
print("list: current back to the start:", cur2 - base < 1000,
      "- peak grew by more than 2.4 MB:", peak2 - base > 2_400_000)
keep = list(range(100_000))
cur3, peak3 = tracemalloc.get_traced_memory()
print("kept 100 000 items: current grew by more than 800 kB:", cur3 - cur2 > 800_000,
      "- peak unchanged:", peak3 == peak2)
tracemalloc.stop()

# Expected output (CPython 3.11):
# sum: 44999850000
# range: current back to the start: True - peak grew by less than 10 kB: True
# sum: 44999850000
# list: current back to the start: True - peak grew by more than 2.4 MB: True
# kept 100 000 items: current grew by more than 800 kB: True - peak unchanged: True
