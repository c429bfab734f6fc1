"""How a dict grows: keys tables of 8, 16, 32, ... slots, two thirds usable.

A 3.11 dict is a 48-byte object (+16 GC header) plus a keys object (`_PyDict_SizeOf`): a 32-byte
header, an index of one byte per slot (two from 256 slots), and one entry per *usable* slot,
2/3 of the table: 5, 10, 21, 42, 85, 170. Entries are 24 bytes (hash, key, value), or 16 when
every key is a str (the hash is cached in the str). An empty dict has no keys table of its
own. When the table is full, `insertion_resize` builds one sized for 3 x the entries in use;
deleting never shrinks it; `clear()` does. A non-str key turns a str-only table into a general
one, which also goes through `insertion_resize`.
"""
import sys


def grow(label, make_key):
    d = {}
    last = sys.getsizeof(d)
    print(f"{label}: len 0 -> {last}")
    for i in range(90):
        d[make_key(i)] = i
        size = sys.getsizeof(d)
        if size != last:
            print(f"{label}: len {len(d)} -> {size}")
            last = size
    return d


ints = grow("int keys", lambda i: i)
strs = grow("str keys", lambda i: "k" + str(i))
for i in range(80):
    del ints[i]
print("deleted 80 of 90:", len(ints), "left,", sys.getsizeof(ints), "bytes")
ints.clear()
print("cleared:", sys.getsizeof(ints))
mixed = {"a": 1, "b": 2, "c": 3}
print("3 str keys:", sys.getsizeof(mixed))
mixed[4] = 4
print("plus one int key:", sys.getsizeof(mixed))

# Expected output (CPython 3.11):
# int keys: len 0 -> 64
# int keys: len 1 -> 224
# int keys: len 6 -> 352
# int keys: len 11 -> 632
# int keys: len 22 -> 1168
# int keys: len 43 -> 2264
# int keys: len 86 -> 4688
# str keys: len 0 -> 64
# str keys: len 1 -> 184
# str keys: len 6 -> 272
# str keys: len 11 -> 464
# str keys: len 22 -> 832
# str keys: len 43 -> 1584
# str keys: len 86 -> 3328
# deleted 80 of 90: 10 left, 4688 bytes
# cleared: 64
# 3 str keys: 184
# plus one int key: 352
