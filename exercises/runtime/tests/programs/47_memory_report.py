"""A memory report with f-strings: bytes per item for lists, tuples and dicts of n items.

`sys.getsizeof` of the container divided by its length shows the fixed header being paid off
as n grows, towards 8 bytes per item for a tuple, a bit more for a list (over-allocation) and
far more for a dict (index + 24-byte entries + the free third). The table is formatted with
`{x:>6}`, `{x:,}` and `{x:.2f}`. `getsizeof` never follows references: the ints a list holds
are counted separately.
"""
import sys

print(f"{'n':>6} {'tuple':>8} {'list':>8} {'dict':>8}")
for n in [1, 10, 100, 1000, 10000]:
    t = tuple(range(n))
    l = []
    for i in range(n):
        l.append(i)
    d = {}
    for i in range(n):
        d[i] = i
    row = [f"{sys.getsizeof(c) / n:.2f}" for c in [t, l, d]]
    print(f"{n:>6} {row[0]:>8} {row[1]:>8} {row[2]:>8}")

big = list(range(100000))
print(f"a list of 100,000 ints: {sys.getsizeof(big):,} bytes for the list")
ints = sum([sys.getsizeof(i) for i in big])
print(f"plus {ints:,} bytes for the int objects it refers to")
share = sys.getsizeof(big) / (sys.getsizeof(big) + ints)
print(f"the list itself is {share * 100:.2f} % of the total")

# Expected output (CPython 3.11):
#      n    tuple     list     dict
#      1    48.00    88.00   224.00
#     10    12.00    18.40    35.20
#    100     8.40     9.20    46.88
#   1000     8.04     8.86    36.95
#  10000     8.00     8.52    29.50
# a list of 100,000 ints: 800,056 bytes for the list
# plus 2,800,000 bytes for the int objects it refers to
# the list itself is 22.22 % of the total
