"""sys.getsizeof of ints, floats, bools and None.

An int is a `PyLongObject`: a 24-byte header (refcount, type, size) plus 4 bytes per 30-bit
digit, and 3.11 counts at least one digit even for 0 (`int___sizeof__`). True and False are
ints. A float is 24 bytes (header + a C double), None 16 (header only). None of these is a GC
object, so no GC header is added (`_PySys_GetSizeOf` adds 16 only for GC types).
"""
import sys

for value in [0, 1, -1, 255, 2 ** 30 - 1, 2 ** 30, 2 ** 60 - 1, 2 ** 60, 2 ** 61]:
    print(f"{value:,}", "->", sys.getsizeof(value), "bytes")

print("digits of 30 bits:", [sys.getsizeof(2 ** (30 * k)) for k in range(3)])
print("True", sys.getsizeof(True), end="; ")
print("False", sys.getsizeof(False))
print("0.5", sys.getsizeof(0.5), "1e300", sys.getsizeof(1e300), "-2.25", sys.getsizeof(-2.25))
print("None", sys.getsizeof(None))
print("object()", sys.getsizeof(object()))
sizes = [sys.getsizeof(10 ** k) for k in range(19)]
print("10**0 .. 10**18:", sizes)
print("average:", round(sum(sizes) / len(sizes), 2), f"- or {sum(sizes) / len(sizes):.2f}")

# Expected output (CPython 3.11):
# 0 -> 28 bytes
# 1 -> 28 bytes
# -1 -> 28 bytes
# 255 -> 28 bytes
# 1,073,741,823 -> 28 bytes
# 1,073,741,824 -> 32 bytes
# 1,152,921,504,606,846,975 -> 32 bytes
# 1,152,921,504,606,846,976 -> 36 bytes
# 2,305,843,009,213,693,952 -> 36 bytes
# digits of 30 bits: [28, 32, 36]
# True 28; False 28
# 0.5 24 1e300 24 -2.25 24
# None 16
# object() 16
# 10**0 .. 10**18: [28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 32, 32, 32, 32, 32, 32, 32, 32, 32]
# average: 29.89 - or 29.89
