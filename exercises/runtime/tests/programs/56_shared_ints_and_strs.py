"""Some ints and strs are shared: the small-int cache, 1-character strs, interning.

Ints from -5 to 256 are preallocated once (`_PyLong_SMALL_INTS`, `get_small_int`): every
computation that yields one of them returns the same object. Other ints are made fresh each
time. The empty str and every 1-character Latin-1 str are singletons too
(`unicode_char`). Other strs built at run time are new objects, unless `sys.intern` maps
equal strings to one shared copy (the interned dict in Objects/unicodeobject.c).
`is` compares identity; `==` compares values.
"""
import sys

for text in ["-6", "-5", "0", "256", "257", "1000"]:
    a = int(text)
    b = int(text)
    print(f"int({text!r}) twice: equal {a == b}, same object {a is b}")

x = 200
y = x + 56
z = x + 57
print("200 + 56 is 256:", y is int("256"), "- 200 + 57 is 257:", z is int("257"))

word = "memory"
print("one char, sliced twice:", word[0] is word[0:1], "- empty slice:", word[3:3] is "memory"[6:])
left = "".join(["mem", "ory"])
right = "".join(["me", "mory"])
print("built twice: equal", left == right, "- same object", left is right)
left = sys.intern(left)
right = sys.intern(right)
print("after sys.intern: same object", left is right)
print("interned equals the literal:", left is sys.intern("memory"))

# Expected output (CPython 3.11):
# int('-6') twice: equal True, same object False
# int('-5') twice: equal True, same object True
# int('0') twice: equal True, same object True
# int('256') twice: equal True, same object True
# int('257') twice: equal True, same object False
# int('1000') twice: equal True, same object False
# 200 + 56 is 256: True - 200 + 57 is 257: False
# one char, sliced twice: True - empty slice: True
# built twice: equal True - same object False
# after sys.intern: same object True
# interned equals the literal: True
