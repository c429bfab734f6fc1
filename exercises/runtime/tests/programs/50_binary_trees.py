"""binary-trees (the Computer Language Benchmarks Game) at a small depth.

Allocates and frees many perfect binary trees of tuples: the classic allocator and collector
stress test. Every tree is freed by reference counting as soon as `check` returns (a tuple tree
has no cycles), so the final `gc.collect()` finds nothing, although the collector stays enabled
and runs automatically meanwhile. Nodes are 2-tuples, so the tuple free list
(Objects/tupleobject.c) recycles most of them. Output format as in the benchmark.
"""
import gc


def make(depth):
    if depth == 0:
        return (None, None)
    depth = depth - 1
    return (make(depth), make(depth))


def check(node):
    left, right = node
    if left is None:
        return 1
    return 1 + check(left) + check(right)


def main(n):
    min_depth = 4
    max_depth = max(min_depth + 2, n)
    stretch = max_depth + 1
    print(f"stretch tree of depth {stretch}\t check: {check(make(stretch))}")
    long_lived = make(max_depth)
    for depth in range(min_depth, stretch, 2):
        iterations = 2 ** (max_depth - depth + min_depth)
        total = 0
        for i in range(iterations):
            total = total + check(make(depth))
        print(f"{iterations}\t trees of depth {depth}\t check: {total}")
    print(f"long lived tree of depth {max_depth}\t check: {check(long_lived)}")


main(8)
print("garbage left for the collector:", gc.collect())

# Expected output (CPython 3.11):
# stretch tree of depth 9	 check: 1023
# 256	 trees of depth 4	 check: 7936
# 64	 trees of depth 6	 check: 8128
# 16	 trees of depth 8	 check: 8176
# long lived tree of depth 8	 check: 511
# garbage left for the collector: 0
