"""Freeing a 1 000 000-deep chain does not overflow the C stack: the trashcan.

Dropping the outermost of a million nested lists would recurse a million times (list_dealloc
-> list_dealloc -> ...). `Py_TRASHCAN_BEGIN` (Objects/object.c, `_PyTrash_begin`) stops at a
nesting of 50: deeper objects are put on a to-do list and freed iteratively when the stack
unwinds. The same holds for tuples, dicts and instances of classes (`subtype_dealloc`).
"""
import gc

gc.disable()


class Node:
    def __init__(self, nxt):
        self.next = nxt


N = 1_000_000
chain = None
for i in range(N):
    chain = [chain]
del chain
print("nested lists freed")

chain = None
for i in range(N):
    chain = (chain, i)
chain = None
print("nested tuples freed")

chain = None
for i in range(N):
    chain = Node(chain)
depth = 0
node = chain
while node is not None:
    depth = depth + 1
    node = node.next
print("chain of instances, depth", depth)
del chain
print("instances freed; garbage left:", gc.collect())

# Expected output (CPython 3.11):
# nested lists freed
# nested tuples freed
# chain of instances, depth 1000000
# instances freed; garbage left: 0
