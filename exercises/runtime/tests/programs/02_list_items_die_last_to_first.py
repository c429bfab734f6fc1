"""A list releases its items from the last to the first.

`list_dealloc` (Objects/listobject.c) runs `while (--i >= 0) Py_XDECREF(op->ob_item[i]);`, and
`list.clear()` (`_list_clear`) does the same, so the last item dies first. Deleting a slice
(`list_ass_slice`) also releases the removed items from the last to the first. `pop()` hands the
item to the caller, so it dies where the caller drops it.
"""
import gc

gc.disable()


class Item:
    def __init__(self, n):
        self.n = n

    def __del__(self):
        print("  del item", self.n)


print("del of a list:")
items = [Item(0), Item(1), Item(2), Item(3)]
del items
print("list.clear():")
items = [Item(0), Item(1), Item(2), Item(3)]
items.clear()
print("del items[1:4] of six:")
items = [Item(0), Item(1), Item(2), Item(3), Item(4), Item(5)]
del items[1:4]
print("pop() then drop the result:")
items.pop()
print("del items[0]:")
del items[0]
print("left:", len(items), "item", items[0].n)
items = []
print("end")

# Expected output (CPython 3.11):
# del of a list:
#   del item 3
#   del item 2
#   del item 1
#   del item 0
# list.clear():
#   del item 3
#   del item 2
#   del item 1
#   del item 0
# del items[1:4] of six:
#   del item 3
#   del item 2
#   del item 1
# pop() then drop the result:
#   del item 5
# del items[0]:
#   del item 0
# left: 1 item 4
#   del item 4
# end
