//! The free lists: dead floats, tuples, lists and dicts (and dict keys objects) keep their memory
//! for the next object of the same type, each list up to CPython's limit (Objects/floatobject.c,
//! Objects/tupleobject.c `maybe_freelist_push/pop`, Objects/listobject.c, Objects/dictobject.c
//! `new_keys_object`, `free_keys_object`, `dict_dealloc`), until a full collection empties them
//! (Modules/gcmodule.c `clear_freelists`).

use super::*;

// ANCHOR: free_lists
impl Runtime {
    /// `PyFloat_FromDouble`: pop the free list (the last float freed), else malloc. Floats are
    /// not GC objects. (CPython links the list through `ob_type`; a stack does the same job.)
    pub fn float_new(&mut self) -> ObjId {
        // TODO
        match self.float_free.pop() {
            Some(id) => self.revive(id, Kind::Float),
            None => self.malloc(Kind::Float),
        }
    }

    /// `float_dealloc`: an exact float goes to `_PyFloat_ExactDealloc`, which pushes it onto the
    /// free list unless that already holds [`FLOAT_MAXFREELIST`], and else frees the block. A
    /// subclass instance (not [`Runtime::is_exact`]) goes to its type's `tp_free`,
    /// `PyObject_GC_Del`, since class statements make GC types.
    pub fn float_dealloc(&mut self, id: ObjId) {
        // TODO
        if !self.is_exact(id) {
            self.gc_del(id);
        } else if self.float_free.len() >= FLOAT_MAXFREELIST {
            self.free(id);
        } else {
            self.park(id);
            self.float_free.push(id);
        }
    }

    /// `PyTuple_New(len)`: `()` is the static singleton; otherwise `maybe_freelist_pop`, which in
    /// 3.11 only looks at lengths `< TUPLE_MAXSAVESIZE`; otherwise a GC allocation.
    pub fn tuple_new(&mut self, len: usize) -> ObjId {
        // TODO
        if len == 0 {
            return self.empty_tuple;
        }
        if len < TUPLE_MAXSAVESIZE
            && let Some(id) = self.tuple_free[len - 1].pop()
        {
            return self.revive(id, Kind::Tuple(len));
        }
        self.gc_alloc(Kind::Tuple(len))
    }

    /// `tupledealloc` → `maybe_freelist_push`: exact tuples of lengths 1 … 20
    /// (`len - 1 < PyTuple_NFREELISTS`) are kept, up to [`TUPLE_MAXFREELIST`] per length;
    /// otherwise `PyObject_GC_Del`. The push accepts length 20 but the pop refuses it: 3.11's
    /// off-by-one (fixed in 3.12.5 and 3.13). The singleton `()` is never freed (an empty
    /// instance of a tuple subclass is an ordinary object, and is).
    pub fn tuple_dealloc(&mut self, id: ObjId) {
        // TODO
        let Some(&Kind::Tuple(len)) = self.live.get(&id) else {
            panic!("{id} is not a live tuple");
        };
        if id == self.empty_tuple {
            return;
        }
        // The only exact tuple of length 0 is the singleton, so `len - 1` cannot underflow.
        if self.is_exact(id)
            && len - 1 < TUPLE_MAXSAVESIZE
            && self.tuple_free[len - 1].len() < TUPLE_MAXFREELIST
        {
            self.park(id);
            self.tuple_free[len - 1].push(id);
        } else {
            self.gc_del(id);
        }
    }

    /// `PyList_New`: reuse the last freed list header, else a GC allocation.
    pub fn list_new(&mut self) -> ObjId {
        // TODO
        match self.list_free.pop() {
            Some(id) => self.revive(id, Kind::List),
            None => self.gc_alloc(Kind::List),
        }
    }

    /// `list_dealloc`: keep the header of an exact list if fewer than [`LIST_MAXFREELIST`]
    /// wait, else `PyObject_GC_Del`.
    pub fn list_dealloc(&mut self, id: ObjId) {
        // TODO
        if self.is_exact(id) && self.list_free.len() < LIST_MAXFREELIST {
            self.park(id);
            self.list_free.push(id);
        } else {
            self.gc_del(id);
        }
    }

    /// A new dict (`new_keys_object` then `new_dict`). With `keys: Some(spec)` it first gets its
    /// own keys object: a recycled one if `spec` is 8 slots and unicode and one waits, else a
    /// malloc'd one. Then the dict object: a recycled one, else a GC allocation. `None` makes an
    /// empty `{}` sharing `Py_EMPTY_KEYS`.
    pub fn dict_new(&mut self, keys: Option<KeysSpec>) -> ObjId {
        // TODO
        let keys = keys.map(|spec| {
            if spec.log2_size == DICT_LOG_MINSIZE
                && spec.unicode
                && let Some(k) = self.keys_free.pop()
            {
                return self.revive(k, Kind::DictKeys(spec));
            }
            self.malloc(Kind::DictKeys(spec))
        });
        match self.dict_free.pop() {
            Some(id) => self.revive(id, Kind::Dict(keys)),
            None => self.gc_alloc(Kind::Dict(keys)),
        }
    }

    /// The keys object a live dict owns (`None`: it shares `Py_EMPTY_KEYS`).
    pub fn dict_keys(&self, dict: ObjId) -> Option<ObjId> {
        match self.live.get(&dict) {
            Some(Kind::Dict(keys)) => *keys,
            _ => None,
        }
    }

    /// `dict_dealloc`: first its keys object (`free_keys_object`: kept if 8 slots, unicode and
    /// fewer than 80 wait; else freed), then the dict itself (kept if it is an exact dict and
    /// fewer than 80 wait; else `PyObject_GC_Del`).
    pub fn dict_dealloc(&mut self, id: ObjId) {
        // TODO
        let Some(&Kind::Dict(keys)) = self.live.get(&id) else {
            panic!("{id} is not a live dict");
        };
        if let Some(k) = keys {
            let Some(&Kind::DictKeys(spec)) = self.live.get(&k) else {
                panic!("{k} is not a live keys object");
            };
            if spec.log2_size == DICT_LOG_MINSIZE
                && spec.unicode
                && self.keys_free.len() < DICT_MAXFREELIST
            {
                self.park(k);
                self.keys_free.push(k);
            } else {
                self.free(k);
            }
        }
        if self.is_exact(id) && self.dict_free.len() < DICT_MAXFREELIST {
            self.park(id);
            self.dict_free.push(id);
        } else {
            self.gc_del(id);
        }
    }

    /// `clear_freelists` (Modules/gcmodule.c): empty every free list, really freeing what waited
    /// there (floats and keys with `PyObject_Free`, tuples, lists and dicts with
    /// `PyObject_GC_Del`).
    pub fn clear_freelists(&mut self) {
        // TODO
        for id in std::mem::take(&mut self.float_free) {
            self.free(id);
        }
        for len in 0..TUPLE_MAXSAVESIZE {
            for id in std::mem::take(&mut self.tuple_free[len]) {
                self.gc_del(id);
            }
        }
        for id in std::mem::take(&mut self.list_free) {
            self.gc_del(id);
        }
        for id in std::mem::take(&mut self.dict_free) {
            self.gc_del(id);
        }
        for id in std::mem::take(&mut self.keys_free) {
            self.free(id);
        }
    }

    /// `gc.collect(generation)`, as far as this runtime goes: the young generation's count
    /// restarts at 0, and a generation-2 collection ends with [`Runtime::clear_freelists`].
    pub fn collect(&mut self, generation: usize) {
        // TODO
        self.gen0_count = 0;
        if generation == 2 {
            self.clear_freelists();
        }
    }
}
// ANCHOR_END: free_lists
