"""Evaluates Python expressions for the `objects` crate's layout corpus.

Reads one expression per line on stdin and prints, first, the running version ("3.11"), then
repr(eval(expression)) for each line, in order. The Rust side (tests/cpython_agrees.rs) sends
`getsizeof(...)` and `capacities(...)` expressions built from the shared corpus
(exercises/objects/tests/chapters/corpus/layout_cases.rs) and compares the answers with the
numbers the exercise tests expect. The helpers below build values exactly as the corpus's Rust
helpers of the same names do.
"""
import sys
from sys import getsizeof


class Plain:
    """An ordinary class: instances get a __weakref__ slot and a managed __dict__."""


def slotted(n):
    """An instance of a class with `n` names in __slots__."""
    cls = type("Slotted", (), {"__slots__": tuple(f"s{i}" for i in range(n))})
    return cls()


def appended(n):
    l = []
    for _ in range(n):
        l.append(None)
    return l


def appended_to(l, n):
    for _ in range(n):
        l.append(None)
    return l


def popped(n, k):
    l = appended(n)
    for _ in range(k):
        l.pop()
    return l


def extended(l, n):
    l.extend((None,) * n)  # a tuple: list_extend's sized path
    return l


def cleared(x):
    x.clear()
    return x


def inserted(n):
    d = {}
    for i in range(n):
        d[f"k{i}"] = None
    return d


def inserted_ints(n):
    d = {}
    for i in range(n):
        d[i] = None
    return d


def inserted_then(n, key):
    d = inserted(n)
    d[key] = None
    return d


def deleted_then_inserted(n):
    d = inserted(n)
    for i in range(n):
        del d[f"k{i}"]
    d["z"] = None
    return d


def added(n):
    s = set()
    for i in range(n):
        s.add(i)
    return s


def discarded_then_added(n):
    s = added(n)
    for i in range(n):
        s.discard(i)
    s.add(9)
    return s


def capacities(appends):
    """The distinct capacities of a list while `appends` items are appended, starting at 0."""
    l, caps = [], [0]
    for _ in range(appends):
        l.append(None)
        cap = (getsizeof(l) - getsizeof([])) // 8
        if cap != caps[-1]:
            caps.append(cap)
    return caps


def main():
    print(f"{sys.version_info[0]}.{sys.version_info[1]}")
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line:
            print(repr(eval(line)))


if __name__ == "__main__":
    main()
