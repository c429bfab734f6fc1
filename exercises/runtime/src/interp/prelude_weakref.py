# The parts of Lib/weakref.py this runtime has, written in the subset (given). `ref` and
# `getweakrefcount` are native; these classes run on the runtime like any program.


class WeakValueDictionary:
    """A dict whose values are held through weak references: an entry goes away with its value."""

    def __init__(self):
        self.data = {}

    def __setitem__(self, key, value):
        data = self.data

        def remove(wr, key=key):
            if data.get(key) is wr:
                del data[key]

        data[key] = ref(value, remove)

    def __getitem__(self, key):
        o = self.data[key]()
        if o is None:
            raise KeyError(key)
        return o

    def __delitem__(self, key):
        del self.data[key]

    def __contains__(self, key):
        wr = self.data.get(key)
        return wr is not None and wr() is not None

    def __len__(self):
        return len(self.data)

    def get(self, key, default=None):
        wr = self.data.get(key)
        if wr is None:
            return default
        o = wr()
        if o is None:
            return default
        return o

    def keys(self):
        return [k for k, wr in self.data.items() if wr() is not None]

    def values(self):
        return [wr() for wr in self.data.values() if wr() is not None]

    def items(self):
        return [(k, wr()) for k, wr in self.data.items() if wr() is not None]


_finalizers = {}
_finalize_count = [0]


class finalize:
    """Calls func(*args) when obj dies, or at exit, or when called: at most once."""

    def __init__(self, obj, func, *args):
        self._func = func
        self._args = args
        self._ref = ref(obj, self)
        _finalize_count[0] += 1
        self._index = _finalize_count[0]
        _finalizers[self] = True

    def __call__(self, _=None):
        if self in _finalizers:
            del _finalizers[self]
            return self._func(*self._args)

    def detach(self):
        if self in _finalizers:
            del _finalizers[self]
            return (self._ref(), self._func, self._args)

    @property
    def alive(self):
        return self in _finalizers


def _exitfunc():
    pending = sorted(_finalizers.keys(), key=lambda f: f._index)
    while pending:
        f = pending.pop()
        f()


class WeakKeyDictionary:
    """A dict whose keys are held through weak references: an entry goes away with its key."""

    def __init__(self):
        self.data = {}

    def __setitem__(self, key, value):
        data = self.data
        k = id(key)

        def remove(wr, k=k):
            entry = data.get(k)
            if entry is not None and entry[0] is wr:
                del data[k]

        data[k] = (ref(key, remove), value)

    def __getitem__(self, key):
        entry = self.data.get(id(key))
        if entry is None or entry[0]() is not key:
            raise KeyError(key)
        return entry[1]

    def __delitem__(self, key):
        del self.data[id(key)]

    def __contains__(self, key):
        entry = self.data.get(id(key))
        return entry is not None and entry[0]() is key

    def __len__(self):
        return len(self.data)

    def get(self, key, default=None):
        if key in self:
            return self[key]
        return default

    def keys(self):
        return [wr() for wr, v in self.data.values() if wr() is not None]

    def items(self):
        return [(wr(), v) for wr, v in self.data.values() if wr() is not None]

    def __iter__(self):
        return iter(self.keys())


class WeakSet:
    """A set whose items are held through weak references: an item leaves when it dies."""

    def __init__(self, items=()):
        self.data = {}
        for item in items:
            self.add(item)

    def add(self, item):
        data = self.data
        k = id(item)

        def remove(wr, k=k):
            if data.get(k) is wr:
                del data[k]

        if k not in data:
            data[k] = ref(item, remove)

    def discard(self, item):
        self.data.pop(id(item), None)

    def remove(self, item):
        if id(item) not in self.data:
            raise KeyError(item)
        del self.data[id(item)]

    def __contains__(self, item):
        wr = self.data.get(id(item))
        return wr is not None and wr() is item

    def __len__(self):
        return len(self.data)

    def __iter__(self):
        return iter([wr() for wr in self.data.values() if wr() is not None])
