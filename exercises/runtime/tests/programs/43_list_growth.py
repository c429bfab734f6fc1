"""How a list grows: list_resize's over-allocation, seen through sys.getsizeof.

`append` calls `list_resize` (Objects/listobject.c) only when the list is full. The new
capacity is `(n + (n >> 3) + 6) & ~3` for the needed size n, so capacities go 0, 4, 8, 16,
24, 32, 40, 52, 64, 76, ...: roughly 12.5 % spare. The size is 56 + 8 x capacity. Only the
lines where the size changes are printed. `pop` shrinks the list once it is less than half full.
When the needed size is further from the old size than from that formula's capacity (a big
`extend`), `(n + 3) & ~3` is used instead: 12 slots for 10 items.
"""
import sys

lst = []
last = sys.getsizeof(lst)
print(f"len {len(lst):>3}: {last} bytes, capacity {(last - 56) // 8}")
for i in range(100):
    lst.append(i)
    size = sys.getsizeof(lst)
    if size == last:
        continue
    print(f"len {len(lst):>3}: {size} bytes, capacity {(size - 56) // 8}")
    last = size

print("popping:")
while len(lst) > 0:
    lst.pop()
    size = sys.getsizeof(lst)
    if size != last:
        print(f"len {len(lst):>3}: {size} bytes, capacity {(size - 56) // 8}")
        last = size

print("extend by 10 at once:", sys.getsizeof(lst + list(range(10))))
lst.extend(range(10))
print("extend in place:", sys.getsizeof(lst))

# Expected output (CPython 3.11):
# len   0: 56 bytes, capacity 0
# len   1: 88 bytes, capacity 4
# len   5: 120 bytes, capacity 8
# len   9: 184 bytes, capacity 16
# len  17: 248 bytes, capacity 24
# len  25: 312 bytes, capacity 32
# len  33: 376 bytes, capacity 40
# len  41: 472 bytes, capacity 52
# len  53: 568 bytes, capacity 64
# len  65: 664 bytes, capacity 76
# len  77: 792 bytes, capacity 92
# len  93: 920 bytes, capacity 108
# popping:
# len  53: 568 bytes, capacity 64
# len  31: 376 bytes, capacity 40
# len  19: 248 bytes, capacity 24
# len  11: 184 bytes, capacity 16
# len   7: 152 bytes, capacity 12
# len   5: 120 bytes, capacity 8
# len   1: 88 bytes, capacity 4
# len   0: 56 bytes, capacity 0
# extend by 10 at once: 136
# extend in place: 152
