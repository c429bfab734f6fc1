"""A function's locals die when it returns, in the order the compiler numbered them.

In 3.11 a call's locals live in the frame's `localsplus` array: parameters first, then other
locals in order of first appearance in the function body. On return, `_PyFrame_Clear`
(Python/frame.c) releases them from index 0 up. The returned object is not released: the
caller now holds it.
"""
import gc

gc.disable()


class Obj:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  del", self.name)


def work(p, q):
    zeta = Obj("zeta")
    alpha = Obj("alpha")
    result = Obj("result")
    mid = Obj("mid")
    del mid
    print("  returning")
    return result


print("call:")
kept = work(Obj("p"), Obj("q"))
print("back in the caller, kept:", kept.name)
del kept


def recurse(depth):
    here = Obj("depth " + str(depth))
    if depth < 3:
        recurse(depth + 1)
    print("  leaving", depth)


print("recursion:")
recurse(1)
print("end")

# Expected output (CPython 3.11):
# call:
#   del mid
#   returning
#   del p
#   del q
#   del zeta
#   del alpha
# back in the caller, kept: result
#   del result
# recursion:
#   leaving 3
#   del depth 3
#   leaving 2
#   del depth 2
#   leaving 1
#   del depth 1
# end
