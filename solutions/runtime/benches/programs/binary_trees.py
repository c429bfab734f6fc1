import gc


def make(depth):
    if depth == 0:
        return (None, None)
    depth -= 1
    return (make(depth), make(depth))


def check(node):
    left, right = node
    if left is None:
        return 1
    return 1 + check(left) + check(right)


max_depth = 12
stretch = make(max_depth + 1)
print("stretch tree of depth", max_depth + 1, "check:", check(stretch))
del stretch
long_lived = make(max_depth)
for depth in range(4, max_depth + 1, 2):
    iterations = 2 ** (max_depth - depth + 4)
    total = 0
    for i in range(iterations):
        total += check(make(depth))
    print(iterations, "trees of depth", depth, "check:", total)
print("long lived tree of depth", max_depth, "check:", check(long_lived))
print("collections:", gc.get_stats()[0]["collections"] > 0)
