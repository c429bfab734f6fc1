"""Builds the class hierarchies of the `objects` crate's slots corpus with CPython.

Reads one JSON hierarchy per line on stdin (as tests/cpython_agrees.rs writes them from
exercises/objects/tests/chapters/corpus/slots_cases.rs):
    {"name": ..., "classes": [{"name": ..., "bases": [...], "slots": [...] or null, "vars": [...]}]}
Prints the running version ("3.11"), then one line per hierarchy, "<name> | <description>",
describing the last class the way the corpus's `describe` does, or the exception `type()` raised.
"""
import ctypes
import json
import sys

BUILTINS = {t.__name__: t for t in (object, int, bool, float, str, bytes, tuple, list, dict, set,
                                    BaseException, Exception, type(None), range)}
MEMBER = type(type("Probe", (), {"__slots__": ("x",)}).__dict__["x"])


def member_offset(cls, name):
    """Where the slot `name` lives: store a marker through it, then find its address."""
    marker = object()
    inst = cls()
    setattr(inst, name, marker)
    for offset in range(0, cls.__basicsize__, 8):
        if ctypes.c_void_p.from_address(id(inst) + offset).value == id(marker):
            return offset
    raise AssertionError(f"{cls.__name__}.{name}: slot not found")


def describe(cls):
    members = sorted((member_offset(cls, name), name)
                     for name, value in cls.__dict__.items() if isinstance(value, MEMBER))
    return (f"basicsize={cls.__basicsize__} itemsize={cls.__itemsize__} "
            f"dictoffset={cls.__dictoffset__} weakrefoffset={cls.__weakrefoffset__} "
            f"getsizeof={sys.getsizeof(cls())} "
            f"members=[{', '.join(f'{name}@{offset}' for offset, name in members)}]")


def run(hierarchy):
    made = dict(BUILTINS)
    classes = hierarchy["classes"]
    for i, c in enumerate(classes):
        namespace = {var: None for var in c["vars"]}
        if c["slots"] is not None:
            namespace["__slots__"] = tuple(c["slots"])
        try:
            cls = type(c["name"], tuple(made[b] for b in c["bases"]), namespace)
        except (TypeError, ValueError) as e:
            if i + 1 < len(classes):
                raise
            return f"{type(e).__name__}: {e}"
        made[c["name"]] = cls
    return describe(cls)


def main():
    print(f"{sys.version_info[0]}.{sys.version_info[1]}")
    for line in sys.stdin:
        if line.strip():
            hierarchy = json.loads(line)
            print(f"{hierarchy['name']} | {run(hierarchy)}")


if __name__ == "__main__":
    main()
