"""gc.get_referents and gc.get_referrers: the graph the collector sees.

`get_referents(x)` calls x's `tp_traverse` and lists what it visits: a list visits its items;
a dict with only str keys visits only its values (`dict_traverse` skips keys it knows are
strs); a 3.11 instance visits its attribute values and its class, or its `__dict__` once one
has been made. `get_referrers(x)` scans every tracked object's `tp_traverse` for x (slow: it
walks the whole heap). Only lengths and membership are printed: the lists hold objects whose
order or repr is not the point.
"""
import gc

gc.disable()


class Point:
    pass


p = Point()
print("instance, no attributes:", len(gc.get_referents(p)), Point in gc.get_referents(p))
p.x = [1]
p.y = "why"
print("with x and y:", len(gc.get_referents(p)), p.x in gc.get_referents(p))
d = p.__dict__
print("after asking for __dict__:", len(gc.get_referents(p)), d in gc.get_referents(p))

items = [1, "a", p, None]
print("list of 4:", len(gc.get_referents(items)))
print("str-keyed dict of 2:", len(gc.get_referents({"a": 1, "b": 2})))
print("int-keyed dict of 2:", len(gc.get_referents({1: "a", 2: "b"})))
print("tuple of 3:", len(gc.get_referents(tuple([1, 2, 3]))))
print("an int:", len(gc.get_referents(12345)))

holders = [p]
print("holders refer to p:", holders in gc.get_referrers(p))
print("p.x is referred to by p's __dict__:", d in gc.get_referrers(p.x),
      "- by p itself:", p in gc.get_referrers(p.x))

# Expected output (CPython 3.11):
# instance, no attributes: 1 True
# with x and y: 3 True
# after asking for __dict__: 2 True
# list of 4: 4
# str-keyed dict of 2: 2
# int-keyed dict of 2: 4
# tuple of 3: 3
# an int: 0
# holders refer to p: True
# p.x is referred to by p's __dict__: True - by p itself: False
