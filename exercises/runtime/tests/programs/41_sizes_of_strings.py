"""sys.getsizeof of strs: ASCII, Latin-1, UCS-2 and UCS-4 (PEP 393).

A str stores every character in the same width, chosen by its widest character: 1 byte
(ASCII or Latin-1), 2 or 4 bytes. An ASCII str has a 48-byte header (`PyASCIIObject`, 3.11)
plus one byte per character plus a terminating NUL; any other str has a 72-byte header
(`PyCompactUnicodeObject`) plus (length + 1) x width. One non-ASCII character widens the whole
string. (3.12 dropped the `wstr` field: 40 and 56 bytes.)
"""
import sys

for s in ["", "a", "abc", "hello world", "é", "café", "€", "€uro", "😀", "a😀"]:
    r = repr(s)
    print(f"{r:>14}: {len(s)} chars, {sys.getsizeof(s)} bytes")

for n in [1, 10, 100, 1000]:
    row = [sys.getsizeof("a" * n), sys.getsizeof("é" * n), sys.getsizeof("€" * n),
           sys.getsizeof("😀" * n)]
    print(f"{n:>5} chars: {row}")

word = "memory"
print("upper:", sys.getsizeof(word.upper()), "join:", sys.getsizeof("-".join([word, word])))
print("with one euro sign:", sys.getsizeof(word + "€"))
print("same text, same size:", sys.getsizeof("ab" + "c") == sys.getsizeof("abc"))

# Expected output (CPython 3.11):
#             '': 0 chars, 49 bytes
#            'a': 1 chars, 50 bytes
#          'abc': 3 chars, 52 bytes
#  'hello world': 11 chars, 60 bytes
#            'é': 1 chars, 74 bytes
#         'café': 4 chars, 77 bytes
#            '€': 1 chars, 76 bytes
#         '€uro': 4 chars, 82 bytes
#            '😀': 1 chars, 80 bytes
#           'a😀': 2 chars, 84 bytes
#     1 chars: [50, 74, 76, 80]
#    10 chars: [59, 83, 94, 116]
#   100 chars: [149, 173, 274, 476]
#  1000 chars: [1049, 1073, 2074, 4076]
# upper: 55 join: 62
# with one euro sign: 88
# same text, same size: True
