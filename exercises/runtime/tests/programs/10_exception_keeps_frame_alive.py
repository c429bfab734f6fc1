"""A caught exception keeps the raising frame, and its locals, alive until the handler ends.

The exception's `__traceback__` refers to the frames it passed through, and a frame refers to
its locals. So `tmp` in `load()` is not freed when `load` raises: it dies when the exception
does, at the end of the `except` block, where the compiler deletes `e` (`e = None; del e`) and
POP_EXCEPT drops the handled exception. `finally` runs on every way out of the `try`.
(One line goes to stderr: the expected output interleaves both streams, as `python3 -u` does.)
"""
import gc
import sys

gc.disable()


class Buffer:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  free", self.name)


def load(text):
    tmp = Buffer("tmp for " + text)
    return int(text)


for text in ["12", "x1"]:
    try:
        print("load", repr(text), "->", load(text))
    except ValueError as e:
        print("  handler sees:", e, file=sys.stderr)
        print("  still in the handler")
    finally:
        print("  finally")
    print("next")


def risky():
    b = Buffer("b")
    try:
        return 10 // 0
    finally:
        print("  cleanup while b is alive:", b.name)


try:
    risky()
except ZeroDivisionError as e:
    print("caught:", repr(e))
print("end")

# Expected output (CPython 3.11):
#   free tmp for 12
# load '12' -> 12
#   finally
# next
#   handler sees: invalid literal for int() with base 10: 'x1'
#   still in the handler
#   free tmp for x1
#   finally
# next
#   cleanup while b is alive: b
# caught: ZeroDivisionError('integer division or modulo by zero')
#   free b
# end
