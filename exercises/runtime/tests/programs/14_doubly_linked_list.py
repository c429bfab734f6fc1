"""A doubly linked list is one big cycle: only the collector can free it.

Every node refers to its neighbours both ways, so after the last outside reference goes, each
node still has a count of 1 or 2. `gc.collect()` frees all of them at once; finalizers
(`finalize_garbage`) run in the order the nodes sit on the collector's list: creation order.
Breaking the links first (`unlink_all`) lets reference counting free them without the
collector: the walk frees nodes 1 to 4 while `lst` still holds node 0.
"""
import gc

gc.disable()
gc.collect()


class Node:
    def __init__(self, value):
        self.value = value
        self.prev = None
        self.next = None

    def __del__(self):
        print("  del", self.value)


def build(n):
    head = Node(0)
    tail = head
    for i in range(1, n):
        node = Node(i)
        node.prev = tail
        tail.next = node
        tail = node
    return head


def unlink_all(head):
    while head is not None:
        nxt = head.next
        head.prev = None
        head.next = None
        head = nxt


lst = build(5)
node = lst
while True:
    assert node.next is None or node.next.prev is node
    if node.value == 3:
        break
    node = node.next
print("found", node.value, "- its neighbours:", node.prev.value, node.next.value)
node = None
del lst
print("del lst: nothing freed yet; collect:")
print("collected", gc.collect())
lst = build(5)
print("unlink, then del lst:")
unlink_all(lst)
del lst
print("collected", gc.collect())

# Expected output (CPython 3.11):
# found 3 - its neighbours: 2 4
# del lst: nothing freed yet; collect:
#   del 0
#   del 1
#   del 2
#   del 3
#   del 4
# collected 5
# unlink, then del lst:
#   del 1
#   del 2
#   del 3
#   del 4
#   del 0
# collected 0
