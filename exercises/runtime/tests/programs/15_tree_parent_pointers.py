"""A tree whose nodes point back to their parent: every edge is a cycle.

Each node holds a `children` list, and each child holds its parent. Dropping the root frees
nothing by reference counting. `gc.collect()` counts every unreachable GC object: the 7 nodes
and their 7 `children` lists, 14. Replacing the parent pointer by a `weakref.ref` (which is not
a strong reference, so no cycle) lets reference counting free the whole tree at once.
"""
import gc
import weakref

gc.disable()
gc.collect()


class Node:
    def __init__(self, name, parent):
        self.name = name
        self.parent = parent
        self.children = []


def build(depth, name, parent, weak):
    link = parent
    if weak and parent is not None:
        link = weakref.ref(parent)
    node = Node(name, link)
    if depth > 0:
        for side in ["L", "R"]:
            node.children.append(build(depth - 1, name + side, node, weak))
    return node


root = build(2, "root", None, False)
leaf = root.children[0].children[1]
print("leaf", leaf.name, "parent", leaf.parent.name, "grandparent", leaf.parent.parent.name)
del leaf
del root
print("strong parents:", gc.collect())

root = build(2, "root", None, True)
leaf = root.children[1].children[0]
print("leaf", leaf.name, "parent", leaf.parent().name)
del root
print("root dropped; the leaf's parent is now", leaf.parent())
del leaf
print("weak parents:", gc.collect())

# Expected output (CPython 3.11):
# leaf rootLR parent rootL grandparent root
# strong parents: 14
# leaf rootRL parent rootR
# root dropped; the leaf's parent is now None
# weak parents: 0
