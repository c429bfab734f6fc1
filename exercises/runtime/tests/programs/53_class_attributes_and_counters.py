"""Class attributes are shared; a class-level counter tracks live instances.

A class attribute lives once, in the class; every instance sees it until it sets its own
attribute of the same name (then the instance's shadows it). A mutable class attribute (the
`registry` list) is shared by all instances, so appending through one instance shows in all,
and it keeps every registered object alive as long as the class lives. The `live` counter,
increased in `__init__` and decreased in `__del__`, shows reference counting at work.
"""
import gc
import sys

gc.disable()


class Session:
    live = 0
    registry = []
    timeout = 30

    def __init__(self, user):
        self.user = user
        Session.live += 1

    def __del__(self):
        Session.live -= 1
        print("  closed", self.user, "- live now", Session.live)


a = Session("ann")
b = Session("bob")
print("live:", Session.live, "timeouts:", a.timeout, b.timeout)
b.timeout = 5
print("after b.timeout = 5:", a.timeout, b.timeout, Session.timeout)
del b.timeout
print("after del b.timeout:", b.timeout)

a.registry.append(a)
print("registered through a, seen through b:", len(b.registry), b.registry[0].user)
print("refcount of a:", sys.getrefcount(a))
del a
print("del a: still live", Session.live)
Session.registry.clear()
del b
print("end, live:", Session.live)

# Expected output (CPython 3.11):
# live: 2 timeouts: 30 30
# after b.timeout = 5: 30 5 30
# after del b.timeout: 30
# registered through a, seen through b: 1 ann
# refcount of a: 3
# del a: still live 2
#   closed ann - live now 1
#   closed bob - live now 0
# end, live: 0
