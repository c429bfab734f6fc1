//! The free lists: dead floats, tuples, lists and dicts (and dict keys objects) keep their memory
//! for the next object of the same type, each list up to CPython's limit (Objects/floatobject.c,
//! Objects/tupleobject.c `maybe_freelist_push/pop`, Objects/listobject.c, Objects/dictobject.c
//! `new_keys_object`, `free_keys_object`, `dict_dealloc`), until a full collection empties them
//! (Modules/gcmodule.c `clear_freelists`).

use super::*;

// ANCHOR: free_lists
impl Runtime {
    // ANCHOR: float_tuple
    /// `PyFloat_FromDouble`: pop the free list (the last float freed), else malloc. Floats are
    /// not GC objects. (CPython links the list through `ob_type`; a stack does the same job.)
    pub fn float_new(&mut self) -> ObjId {
        // TODO
        todo!("pop the float free list, else malloc")
    }

    /// `float_dealloc`: an exact float goes to `_PyFloat_ExactDealloc`, which pushes it onto the
    /// free list unless that already holds [`FLOAT_MAXFREELIST`], and else frees the block. A
    /// subclass instance (not [`Runtime::is_exact`]) goes to its type's `tp_free`,
    /// `PyObject_GC_Del`, since class statements make GC types.
    pub fn float_dealloc(&mut self, id: ObjId) {
        // TODO
        todo!("park an exact float unless 100 wait, else free it; a subclass instance: gc_del")
    }

    /// `PyTuple_New(len)`: `()` is the static singleton; otherwise `maybe_freelist_pop`, which in
    /// 3.11 only looks at lengths `< TUPLE_MAXSAVESIZE`; otherwise a GC allocation.
    pub fn tuple_new(&mut self, len: usize) -> ObjId {
        // TODO
        todo!("() is the singleton; pop the free list of this length if len < 20; else gc_alloc")
    }

    /// `tupledealloc` → `maybe_freelist_push`: exact tuples of lengths 1 … 20
    /// (`len - 1 < PyTuple_NFREELISTS`) are kept, up to [`TUPLE_MAXFREELIST`] per length;
    /// otherwise `PyObject_GC_Del`. The push accepts length 20 but the pop refuses it: 3.11's
    /// off-by-one (fixed in 3.12.5 and 3.13). The singleton `()` is never freed (an empty
    /// instance of a tuple subclass is an ordinary object, and is).
    pub fn tuple_dealloc(&mut self, id: ObjId) {
        // TODO
        todo!(
            "() is never freed; push exact lengths 1..=20 while fewer than 2000 wait, else gc_del"
        )
    }
    // ANCHOR_END: float_tuple

    // ANCHOR: list_free_list
    /// `PyList_New`: reuse the last freed list header, else a GC allocation.
    pub fn list_new(&mut self) -> ObjId {
        // TODO
        todo!("pop the list free list, else gc_alloc")
    }

    /// `list_dealloc`: keep the header of an exact list if fewer than [`LIST_MAXFREELIST`]
    /// wait, else `PyObject_GC_Del`.
    pub fn list_dealloc(&mut self, id: ObjId) {
        // TODO
        todo!("park an exact list's header if fewer than 80 wait, else gc_del")
    }
    // ANCHOR_END: list_free_list

    // ANCHOR: dict_new
    /// A new dict (`new_keys_object` then `new_dict`). With `keys: Some(spec)` it first gets its
    /// own keys object: a recycled one if `spec` is 8 slots and unicode and one waits, else a
    /// malloc'd one. Then the dict object: a recycled one, else a GC allocation. `None` makes an
    /// empty `{}` sharing `Py_EMPTY_KEYS`.
    pub fn dict_new(&mut self, keys: Option<KeysSpec>) -> ObjId {
        // ANCHOR_END: dict_new
        // TODO
        todo!(
            "get the keys object (recycled only for 8-slot unicode keys), then the dict (recycled or gc_alloc)"
        )
    }

    /// The keys object a live dict owns (`None`: it shares `Py_EMPTY_KEYS`).
    pub fn dict_keys(&self, dict: ObjId) -> Option<ObjId> {
        match self.live.get(&dict) {
            Some(Kind::Dict(keys)) => *keys,
            _ => None,
        }
    }

    // ANCHOR: dict_dealloc
    /// `dict_dealloc`: first its keys object (`free_keys_object`: kept if 8 slots, unicode and
    /// fewer than 80 wait; else freed), then the dict itself (kept if it is an exact dict and
    /// fewer than 80 wait; else `PyObject_GC_Del`).
    pub fn dict_dealloc(&mut self, id: ObjId) {
        // ANCHOR_END: dict_dealloc
        // TODO
        todo!(
            "release the keys object (keep it if 8-slot unicode and < 80 wait), then the dict (keep it if exact and < 80 wait)"
        )
    }

    // ANCHOR: clear_freelists
    /// `clear_freelists` (Modules/gcmodule.c): empty every free list, really freeing what waited
    /// there (floats and keys with `PyObject_Free`, tuples, lists and dicts with
    /// `PyObject_GC_Del`).
    pub fn clear_freelists(&mut self) {
        // ANCHOR_END: clear_freelists
        // TODO
        todo!(
            "free every parked object: floats and keys with free, tuples, lists and dicts with gc_del"
        )
    }

    // ANCHOR: collect
    /// `gc.collect(generation)`, as far as this runtime goes: the young generation's count
    /// restarts at 0, and a generation-2 collection ends with [`Runtime::clear_freelists`].
    pub fn collect(&mut self, generation: usize) {
        // TODO
        todo!("zero the gen-0 count; a generation-2 collection also clears the free lists")
    }
    // ANCHOR_END: collect
}
// ANCHOR_END: free_lists
