"""Measures CPython's free lists for the `objects` crate's free-list model.

Reads one expression per line on stdin and prints, first, the running version ("3.11"), then
repr(eval(expression)) for each line, in order, like layout_corpus.py. The Rust side
(tests/cpython_agrees.rs) asks `churn(...)` and `gen0_changes(...)` questions and compares the
answers with what the solution's `objects::freelist::Runtime` does in the same experiment.

Every measurement starts with `gc.collect()`, which empties the free lists, and runs with the
collector disabled, so that the numbers depend only on the free-list limits.
"""
import gc
import sys


# Subclasses made by class statements: their instances are never put on a free list.
class F(float):
    pass


class T(tuple):
    pass


class L(list):
    pass


class D(dict):
    pass


def _churn(make, n):
    holder = [None] * n
    gc.collect()  # a full collection empties every free list
    gc.disable()
    try:
        for i in range(n):
            holder[i] = make()
        before_free = sys.getallocatedblocks()
        for i in range(n):
            holder[i] = None
        after_free = sys.getallocatedblocks()
        for i in range(n):
            holder[i] = make()
        after_make = sys.getallocatedblocks()
    finally:
        gc.enable()
    return before_free - after_free, after_make - after_free


def churn(expr, n):
    """(blocks freed when n objects made by `expr` die, blocks allocated to make n again).

    Counted with sys.getallocatedblocks(), minus the same loops making only None. A block that
    a free list keeps is neither freed nor allocated again.
    """
    freed, new = _churn(eval("lambda: " + expr), n)
    base_freed, base_new = _churn(lambda: None, n)
    return freed - base_freed, new - base_new


def gen0_changes(n):
    """Change of gc.get_count()[0] while making n empty lists, dropping them, making them again."""
    holder = [None] * n
    gc.collect()  # also empties the free lists
    gc.disable()
    try:
        gc.get_count()  # warm the free list for the 3-tuple it returns
        steps = []
        for value in ("new", None, "new"):
            start = gc.get_count()[0]
            for i in range(n):
                holder[i] = [] if value == "new" else None
            steps.append(gc.get_count()[0] - start)
        return steps
    finally:
        gc.enable()


def main():
    print(f"{sys.version_info[0]}.{sys.version_info[1]}")
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line:
            print(repr(eval(line)))


if __name__ == "__main__":
    main()
