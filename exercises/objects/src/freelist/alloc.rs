//! Given: the allocator and the GC bookkeeping under the caches and the free lists. Your code
//! calls these. A block is only an id here, so freeing one just counts it and forgets it.

use super::{Kind, ObjId, Runtime};

/// Given helpers: the allocator and the GC bookkeeping your code calls.
#[allow(dead_code)] // the stub's callers are todo!()s
impl Runtime {
    /// A statically allocated object (part of the interpreter image: no malloc).
    pub(super) fn new_static(&mut self, kind: Kind) -> ObjId {
        let id = ObjId(self.next_id);
        self.next_id += 1;
        self.live.insert(id, kind);
        id
    }

    /// True for the static singletons.
    pub(super) fn is_static(&self, id: ObjId) -> bool {
        id.0 < self.statics
    }

    /// `PyObject_Malloc` + init: a fresh block, never seen before.
    pub(super) fn malloc(&mut self, kind: Kind) -> ObjId {
        self.mallocs += 1;
        self.new_static(kind)
    }

    /// `PyObject_Free`: the block (a live object, or one parked on a free list) goes back to the
    /// allocator.
    pub(super) fn free(&mut self, id: ObjId) {
        self.live.remove(&id);
        self.frees += 1;
    }

    /// `gc_alloc` (`PyObject_GC_New`): malloc, and `_PyObject_GC_Link` bumps the gen-0 count.
    /// (The real one may start a collection once the count passes 700; this one never does.)
    pub(super) fn gc_alloc(&mut self, kind: Kind) -> ObjId {
        self.gen0_count += 1;
        self.malloc(kind)
    }

    /// `PyObject_GC_Del`: the gen-0 count goes down (if above 0), then free.
    pub(super) fn gc_del(&mut self, id: ObjId) {
        self.gen0_count = self.gen0_count.saturating_sub(1);
        self.free(id);
    }

    /// The object stops being live but keeps its memory (pushed on a free list).
    pub(super) fn park(&mut self, id: ObjId) {
        assert!(self.live.remove(&id).is_some(), "{id} is not live");
    }

    /// `_Py_NewReference` on a block taken from a free list: it is live again, as `kind`.
    pub(super) fn revive(&mut self, id: ObjId, kind: Kind) -> ObjId {
        self.live.insert(id, kind);
        id
    }
}
