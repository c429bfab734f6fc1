"""sys.getsizeof of containers: only the container, never what it holds.

Tuples, lists, dicts, sets and instances are GC objects, so each size includes the 16-byte GC
header. A tuple is 24 + 8 per item (+16); a list is a 40-byte header (+16) plus 8 per slot it
has *allocated*, which can be more than its length; a dict is 48 (+16) plus its keys table when
it has one; a set keeps 8 slots inline (200 + 16). Sizes do not include the items: a list of
three big strings is as big as a list of three small ints. How a list was built matters: a
display of constants such as `[1, 2, 3]` compiles to BUILD_LIST 0 + LIST_EXTEND of a constant
tuple, and extending an empty list allocates the item count rounded up to even
(`list_preallocate_exact`): 4 slots; `[one, two, three]` is BUILD_LIST 3: exactly 3 slots.
A comprehension appends one by one (over-allocating), `[0] * 10` and `list(range(10))` are exact.
"""
import sys

print("tuples:", [sys.getsizeof(t) for t in [(), (1,), (1, 2), tuple(range(10))]])
print("lists: ", [sys.getsizeof(l) for l in [[], [1], [1, 2, 3], list(range(10))]])
print("dicts: ", [sys.getsizeof(d) for d in [{}, {"a": 1}, {1: 1}, dict(a=1, b=2, c=3)]])
print("sets:  ", [sys.getsizeof(s) for s in [set(), {1, 2, 3}, set(range(5))]])

one, two, three = 1, 2, 3
small = [one, two, three]
big = ["x" * 10000, "y" * 10000, "z" * 10000]
print("list of 3 ints:", sys.getsizeof(small), "- list of 3 big strs:", sys.getsizeof(big))
print("but the display [1, 2, 3]:", sys.getsizeof([1, 2, 3]))
deep = sys.getsizeof(big) + sum([sys.getsizeof(s) for s in big])
print("counting the strs too:", deep)

print("same items, different ways:")
print("  [0] * 10        ", sys.getsizeof([0] * 10))
print("  list(range(10)) ", sys.getsizeof(list(range(10))))
print("  comprehension   ", sys.getsizeof([i for i in range(10)]))
print("  tuple(range(10))", sys.getsizeof(tuple(range(10))))

grown = list(range(100))
print("100 items:", sys.getsizeof(grown))
del grown[10:]
print("cut to 10:", sys.getsizeof(grown), "(shrinks only below half)")
grown.clear()
print("cleared:", sys.getsizeof(grown))

# Expected output (CPython 3.11):
# tuples: [40, 48, 56, 120]
# lists:  [56, 64, 88, 136]
# dicts:  [64, 184, 224, 184]
# sets:   [216, 216, 728]
# list of 3 ints: 80 - list of 3 big strs: 80
# but the display [1, 2, 3]: 88
# counting the strs too: 30227
# same items, different ways:
#   [0] * 10         136
#   list(range(10))  136
#   comprehension    184
#   tuple(range(10)) 120
# 100 items: 856
# cut to 10: 184 (shrinks only below half)
# cleared: 56
