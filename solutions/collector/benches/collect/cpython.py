# The CPython side of `cargo bench -p collector-solution --bench collect`: every graph shape of
# benches/collect/shapes.rs, built the same way in CPython 3.11 and collected with gc.collect().
# Prints one line per shape: "<shape> <ns per tracked object>" (the best of the runs).
# Usage: python3 cpython.py N RUNS [SHAPE...]
import gc
import sys
import time

N, RUNS = int(sys.argv[1]), int(sys.argv[2])  # then the shapes to run (default: all)


class Node:
    __slots__ = ("next",)


class Tree:
    __slots__ = ("left", "right")


class Linked:
    # pyperformance's gc_collect analogue: a node holds its edges in a list (2 tracked objects).
    __slots__ = ("edges",)


def timed_collect(generation=2):
    t = time.perf_counter_ns()
    found = gc.collect(generation)
    return time.perf_counter_ns() - t, found


# A full collection also walks the interpreter's own objects (modules, functions, classes: a few
# thousand), which our heap does not have. Their cost, measured before anything is built, is
# subtracted from every full collection, so CPython is not charged for them.
gc.collect()
BASELINE = min(timed_collect()[0] for _ in range(5))


def ring(n):
    nodes = [Node() for _ in range(n)]
    for i in range(n):
        nodes[i].next = nodes[(i + 1) % n]
    return nodes[0]


def pairs(n):
    # n/2 two-object cycles; the returned list holds one object of each.
    holder = []
    for _ in range(n // 2):
        a, b = Node(), Node()
        a.next, b.next = b, a
        holder.append(a)
    return holder


def tree(depth):
    t = Tree()
    if depth > 1:
        t.left, t.right = tree(depth - 1), tree(depth - 1)
    else:
        t.left = t.right = None
    return t


def dict_of_lists(n):
    # n/10 lists of 9 ints each, in one dict: the ints are not tracked, the lists are.
    return {i: list(range(i, i + 9)) for i in range(n // 10)}


def linked_cycles(n, links=20):
    # Cycles of `links` Linked nodes, each holding a list of edges to the next node: 2 tracked
    # objects per node. The returned list holds one node of each cycle.
    holder = []
    for _ in range(n // (2 * links)):
        nodes = [Linked() for _ in range(links)]
        for i, node in enumerate(nodes):
            node.edges = [nodes[(i + 1) % links]]
        holder.append(nodes[0])
    return holder


def nested_lists(n, fanout=10):
    # Recursive containers, as in gc_traversal: lists of lists, `fanout` wide, n lists in all.
    root = []
    level, made = [root], 1
    while made < n:
        nxt = []
        for parent in level:
            for _ in range(fanout):
                if made >= n:
                    break
                child = []
                parent.append(child)
                nxt.append(child)
                made += 1
        level = nxt
    return root


def live(name, build, tracked):
    keep = build()
    gc.collect()
    best = min(timed_collect()[0] for _ in range(RUNS)) - BASELINE
    print(name, best / tracked, flush=True)
    del keep
    gc.collect()


def garbage(name, build, tracked):
    times = []
    for _ in range(RUNS):
        keep = build()
        gc.collect()  # what it built is in generation 2, like our heap after collect(2)
        del keep
        t, found = timed_collect()
        assert found >= tracked, (name, found, tracked)
        times.append(t - BASELINE)
    print(name, min(times) / tracked, flush=True)


def gen0_with_old(name, old, young=700):
    keep = ring(old) if old else None
    gc.collect()
    times = []
    for _ in range(RUNS * 5):
        pairs(young)  # its list dies at once; the pairs are cyclic garbage in generation 0
        t, found = timed_collect(0)
        assert found >= young, (found, young)
        times.append(t)
    print(name, min(times) / young, flush=True)
    del keep
    gc.collect()


def depth_for(n):
    depth = 1
    while 2 ** (depth + 1) - 1 <= n:
        depth += 1
    return depth


SHAPES = {
    "ring-live": lambda: live("ring-live", lambda: ring(N), N),
    "ring-garbage": lambda: garbage("ring-garbage", lambda: ring(N), N),
    "pairs-garbage": lambda: garbage("pairs-garbage", lambda: pairs(N), N // 2 * 2),
    "tree-live": lambda: live("tree-live", lambda: tree(depth_for(N)), 2 ** depth_for(N) - 1),
    "dict-of-lists-live": lambda: live("dict-of-lists-live", lambda: dict_of_lists(N), N // 10 + 1),
    "gc_collect-garbage": lambda: garbage("gc_collect-garbage", lambda: linked_cycles(N), N // 40 * 40),
    "gc_traversal-live": lambda: live("gc_traversal-live", lambda: nested_lists(N), N),
    "gen0-old-0": lambda: gen0_with_old("gen0-old-0", 0),
    "gen0-old-N": lambda: gen0_with_old("gen0-old-N", N),
}

gc.disable()
for shape in sys.argv[3:] or SHAPES:
    SHAPES[shape]()
