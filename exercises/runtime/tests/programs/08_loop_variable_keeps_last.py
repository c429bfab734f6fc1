"""A loop variable keeps the last item alive; a comprehension's variable does not.

`for x in items:` binds `x` with STORE_NAME on every turn, and nothing unbinds it after the loop:
once the list is gone, its last item survives through `x`. A list comprehension runs in its own
function scope (3.11): when it returns, its frame releases its locals in order, the iterator
(whose list frees 7) and then `y` (the last item, 8). Swapping two names with
`a, b = b, a` only moves references (the compiler emits a SWAP, no tuple): nobody dies.
"""
import gc

gc.disable()


class Item:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("  del", self.n)


items = [Item(1), Item(2), Item(3)]
total = 0
for x in items:
    total = total + x.n
print("sum", total, "- now del items:")
del items
print("x still holds item", x.n, "- now del x:")
del x

print("comprehension:")
names = [str(y.n) for y in [Item(7), Item(8)]]
print("names", names)

a = Item("a")
b = Item("b")
a, b = b, a
print("swapped:", a.n, b.n)
del a, b
print("unpacking a temporary tuple:")
first, second = Item("p"), Item("q")
first = second = None
print("end")

# Expected output (CPython 3.11):
# sum 6 - now del items:
#   del 2
#   del 1
# x still holds item 3 - now del x:
#   del 3
# comprehension:
#   del 7
#   del 8
# names ['7', '8']
# swapped: b a
#   del b
#   del a
# unpacking a temporary tuple:
#   del p
#   del q
# end
