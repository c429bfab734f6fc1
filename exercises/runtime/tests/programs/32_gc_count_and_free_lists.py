"""What generation 0's count really counts: GC allocations, minus frees, skipping free lists.

`_PyObject_GC_Link` adds 1 to `get_count()[0]` for every GC object allocated (instances,
lists, dicts, tuples; never ints, floats or strs) and `PyObject_GC_Del` takes 1 off. A full
`gc.collect()` zeroes the counts and empties the free lists (`clear_freelists`). Freed lists
and dicts go back to their free list without `PyObject_GC_Del`, and a later `[]` reuses one
without `_PyObject_GC_Link`: neither moves the count. (The comprehension's hidden function
object is allocated and freed: +1 -1.) The measurements are stored first and
printed at the end, because printing allocates too.
"""
import gc

gc.disable()


class Node:
    pass


marks = ["start"]
counts = []
gc.collect()
gc.get_count()  # its result tuple is a new GC object (+1); later calls reuse it from the tuple free list
counts.append(gc.get_count()[0])
objs = [Node() for i in range(10)]
marks.append("10 instances in a new list")
counts.append(gc.get_count()[0])
del objs
marks.append("del them: the list goes to the free list")
counts.append(gc.get_count()[0])
empty = []
marks.append("[] reuses that list")
counts.append(gc.get_count()[0])
d = {}
marks.append("{} (dict free list empty)")
counts.append(gc.get_count()[0])
t = (1, 2)
s = "abc" * 3
n = 10 ** 10
f = 0.5 * 3
marks.append("constant tuple, str, int, float")
counts.append(gc.get_count()[0])
x = Node()
pair = tuple([x, x])
marks.append("instance, temporary list, tuple")
counts.append(gc.get_count()[0])

prev = counts[0]
for i in range(len(marks)):
    delta = counts[i] - prev
    sign = "+" if delta >= 0 else ""
    print(f"{counts[i]:>3} {sign + str(delta):>4}  {marks[i]}")
    prev = counts[i]

# Expected output (CPython 3.11):
#   1   +0  start
#  12  +11  10 instances in a new list
#   2  -10  del them: the list goes to the free list
#   2   +0  [] reuses that list
#   3   +1  {} (dict free list empty)
#   3   +0  constant tuple, str, int, float
#   6   +3  instance, temporary list, tuple
