"""Freeing one object can free a whole chain: the dealloc cascade.

Each `Link` holds the next one. When the head's count reaches 0, `subtype_dealloc` calls its
`__del__`, then releases its attributes; that drops the next link's count to 0, and so on:
finalizers run head first, one after the other, all inside the single `del`. If something else
still holds a link, the cascade stops there.
"""
import gc

gc.disable()


class Link:
    def __init__(self, name, nxt):
        self.name = name
        self.next = nxt

    def __del__(self):
        print("  del", self.name)


chain = Link("a", Link("b", Link("c", Link("d", None))))
print("drop the head:")
del chain
print("cascade done")

chain = Link("a", Link("b", Link("c", Link("d", None))))
keep = chain.next.next
print("drop the head while c is held elsewhere:")
chain = None
print("c is still alive:", keep.name, "->", keep.next.name)
del keep
print("end")

# Expected output (CPython 3.11):
# drop the head:
#   del a
#   del b
#   del c
#   del d
# cascade done
# drop the head while c is held elsewhere:
#   del a
#   del b
# c is still alive: c -> d
#   del c
#   del d
# end
