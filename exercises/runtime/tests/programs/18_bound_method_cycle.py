"""Storing a bound method on its own instance makes a cycle.

`self.on_event` builds a new method object (`method_new`, Objects/classobject.c) that holds
`self`. Keeping it in an attribute of `self` links the instance and the method both ways, so the
instance outlives its last name; `gc.collect()` finds two objects, the instance and the method.
Each access builds a new method object, so two accesses give two different objects.
"""
import gc
import sys

gc.disable()
gc.collect()


class Button:
    def __init__(self, label, keep_handler):
        self.label = label
        if keep_handler:
            self.handler = self.on_click

    def on_click(self):
        return "clicked " + self.label

    def __del__(self):
        print("  del", self.label)


ok = Button("ok", False)
print("refcount:", sys.getrefcount(ok))
print("same method object twice?", ok.on_click is ok.on_click)
print(ok.on_click())
del ok
print("collected", gc.collect())

cancel = Button("cancel", True)
print("refcount:", sys.getrefcount(cancel))
print(cancel.handler())
del cancel
print("dropped cancel; collect:")
print("collected", gc.collect())

# Expected output (CPython 3.11):
# refcount: 2
# same method object twice? False
# clicked ok
#   del ok
# collected 0
# refcount: 3
# clicked cancel
# dropped cancel; collect:
#   del cancel
# collected 2
