"""Freed memory is reused at once: the next object of the same kind gets the same address.

A freed list header goes on the list free list and the next `[...]` takes it back
(`PyList_New`; the free list is a stack: the last freed is the first reused); a freed 3-tuple
goes on the free list for 3-tuples. A freed instance's block goes to the front of its pymalloc
pool's free list (`pymalloc_free`), and the next allocation of that size class pops it. That is
why `id(C()) == id(C())` is True: the first temporary is gone before the second exists. Ids are
only compared here, never printed. (Which block two *instances* get after two frees depends on
what else the interpreter allocates in between, so that is not shown.)
"""
import gc

gc.disable()


class C:
    pass


x = [1, 2]
old = id(x)
del x
y = [3]
print("a new list reuses the freed list:", id(y) == old)

t = tuple([4, 5, 6])
old = id(t)
del t
u = tuple([7, 8])
v = tuple([7, 8, 9])
print("a 2-tuple does not reuse a 3-tuple:", id(u) == old, "- a 3-tuple does:", id(v) == old)

p = [1]
q = [2]
old_p = id(p)
old_q = id(q)
del p
del q
r = [3]
s = [4]
print("last freed, first reused:", id(r) == old_q, id(s) == old_p)

print("id(C()) == id(C()):", id(C()) == id(C()))
kept = C()
print("while the first is kept:", id(kept) == id(C()))

# Expected output (CPython 3.11):
# a new list reuses the freed list: True
# a 2-tuple does not reuse a 3-tuple: False - a 3-tuple does: True
# last freed, first reused: True True
# id(C()) == id(C()): True
# while the first is kept: False
