"""A cache that forgets: weakref.WeakValueDictionary.

Each value is held through a weak reference whose callback removes the entry when the value
dies (`KeyedRef` in Lib/weakref.py). While a caller holds an image, lookups find it; when the
last strong reference goes, the entry disappears at once (refcount path). A value caught in a
cycle leaves only when the collector frees the cycle. (How many objects that collection finds
depends on Lib/weakref.py's internals, so only a lower bound is printed.)
"""
import gc
import weakref

gc.disable()
gc.collect()


class Image:
    def __init__(self, name):
        self.name = name
        self.pixels = [0] * 100


cache = weakref.WeakValueDictionary()
loads = 0


def load(name):
    global loads
    img = cache.get(name)
    if img is None:
        loads = loads + 1
        img = Image(name)
        cache[name] = img
    return img


logo = load("logo")
icon = load("icon")
again = load("logo")
print("same object:", again is logo, "loads:", loads, "entries:", len(cache))
del logo, again
print("logo dropped:", len(cache), "entries;", "logo" in cache, "icon" in cache)
logo = load("logo")
print("reloaded, loads:", loads)
icon.self_ref = icon
del icon
print("icon in a cycle, dropped:", len(cache), "entries")
n = gc.collect()  # 3 in CPython: the Image, its pixels list and the freed KeyedRef
print("collected", n >= 2, "->", len(cache), "entries; icon:", cache.get("icon"))
del logo
print("all dropped:", len(cache), "entries")

# Expected output (CPython 3.11):
# same object: True loads: 2 entries: 2
# logo dropped: 1 entries; False True
# reloaded, loads: 3
# icon in a cycle, dropped: 2 entries
# collected True -> 1 entries; icon: None
# all dropped: 0 entries
