"""The messages of built-in exceptions, as `str(e)` and `repr(e)` show them.

A runtime that compares its output with CPython's must raise the same exception types with the
same texts. `str(e)` is shown between brackets, so that an empty message shows. For a KeyError
it is the repr of the key (`KeyError_str`, Objects/exceptions.c); an exception made with several
arguments prints their tuple, one made with none prints nothing.
"""


class Thing:
    pass


def one(x):
    return x


def stop():
    raise RuntimeError("stop")


def pair():
    raise Exception("a", 1)


def bare():
    raise ValueError


def attempt(label, action):
    try:
        action()
        print(label, "-> no error")
    except Exception as e:
        print(label, "->", type(e).__name__)
        print(f"    str: [{e}]")
        print("    repr:", repr(e))


data = [1, 2, 3]
table = {"a": 1}
attempt("int('abc')", lambda: int("abc"))
attempt("table['b']", lambda: table["b"])
attempt("data[3]", lambda: data[3])
attempt("'abc'[5]", lambda: "abc"[5])
attempt("1 / 0", lambda: 1 / 0)
attempt("5 % 0", lambda: 5 % 0)
attempt("1 + 'a'", lambda: 1 + "a")
attempt("len(5)", lambda: len(5))
attempt("one(1, 2)", lambda: one(1, 2))
attempt("one()", lambda: one())
attempt("Thing().size", lambda: Thing().size)
attempt("data.push", lambda: data.push)
attempt("data.remove(9)", lambda: data.remove(9))
attempt("table.pop('z')", lambda: table.pop("z"))
attempt("[].pop()", lambda: [].pop())
attempt("raise RuntimeError('stop')", stop)
attempt("raise Exception('a', 1)", pair)
attempt("raise ValueError", bare)

# Expected output (CPython 3.11):
# int('abc') -> ValueError
#     str: [invalid literal for int() with base 10: 'abc']
#     repr: ValueError("invalid literal for int() with base 10: 'abc'")
# table['b'] -> KeyError
#     str: ['b']
#     repr: KeyError('b')
# data[3] -> IndexError
#     str: [list index out of range]
#     repr: IndexError('list index out of range')
# 'abc'[5] -> IndexError
#     str: [string index out of range]
#     repr: IndexError('string index out of range')
# 1 / 0 -> ZeroDivisionError
#     str: [division by zero]
#     repr: ZeroDivisionError('division by zero')
# 5 % 0 -> ZeroDivisionError
#     str: [integer modulo by zero]
#     repr: ZeroDivisionError('integer modulo by zero')
# 1 + 'a' -> TypeError
#     str: [unsupported operand type(s) for +: 'int' and 'str']
#     repr: TypeError("unsupported operand type(s) for +: 'int' and 'str'")
# len(5) -> TypeError
#     str: [object of type 'int' has no len()]
#     repr: TypeError("object of type 'int' has no len()")
# one(1, 2) -> TypeError
#     str: [one() takes 1 positional argument but 2 were given]
#     repr: TypeError('one() takes 1 positional argument but 2 were given')
# one() -> TypeError
#     str: [one() missing 1 required positional argument: 'x']
#     repr: TypeError("one() missing 1 required positional argument: 'x'")
# Thing().size -> AttributeError
#     str: ['Thing' object has no attribute 'size']
#     repr: AttributeError("'Thing' object has no attribute 'size'")
# data.push -> AttributeError
#     str: ['list' object has no attribute 'push']
#     repr: AttributeError("'list' object has no attribute 'push'")
# data.remove(9) -> ValueError
#     str: [list.remove(x): x not in list]
#     repr: ValueError('list.remove(x): x not in list')
# table.pop('z') -> KeyError
#     str: ['z']
#     repr: KeyError('z')
# [].pop() -> IndexError
#     str: [pop from empty list]
#     repr: IndexError('pop from empty list')
# raise RuntimeError('stop') -> RuntimeError
#     str: [stop]
#     repr: RuntimeError('stop')
# raise Exception('a', 1) -> Exception
#     str: [('a', 1)]
#     repr: Exception('a', 1)
# raise ValueError -> ValueError
#     str: []
#     repr: ValueError()
