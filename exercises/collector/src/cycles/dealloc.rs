//! Deallocation: what happens when a count reaches zero (given code: you read it, you do not
//! edit it). It is `subtype_dealloc` in `Objects/typeobject.c`, the `tp_dealloc` of every class
//! defined in Python, with the calls into the chapters that add to it: the finalizer (chapter 7)
//! and the weak references (chapter 6).

use crate::finalize::Finalizer;

use super::gc_head::ObjId;
use super::heap::GcHeap;

impl GcHeap {
    /// The deallocation cascade after `op`'s count reached zero. CPython recurses
    /// (`Py_DECREF` → `tp_dealloc` → `Py_DECREF` ...); we keep the references still to drop on
    /// a stack, which gives the same depth-first order without using the machine stack.
    /// A runtime object's `tp_dealloc` is its host's (`cycles/host.rs`): it recurses as CPython
    /// does, and keeps its own trashcan.
    pub(super) fn dealloc(&mut self, op: ObjId) {
        if let Some(host) = self.host_of(op) {
            host.tp_dealloc(self, op);
            return;
        }
        let mut pending = Vec::new();
        self.subtype_dealloc(op, &mut pending);
        while let Some(r) = pending.pop() {
            let o = self.obj_mut(r);
            assert!(o.refcnt > 0, "decref below zero");
            o.refcnt -= 1;
            if o.refcnt == 0 {
                self.subtype_dealloc(r, &mut pending);
            }
        }
    }

    /// One object's `tp_dealloc`, in the order of `subtype_dealloc` (Objects/typeobject.c):
    /// untrack; finalizer (which may resurrect); clear weak references and call their
    /// callbacks; legacy `tp_del`; drop the references held; free. The references to drop are
    /// pushed on `pending` (last first, so that they are popped in order).
    fn subtype_dealloc(&mut self, op: ObjId, pending: &mut Vec<ObjId>) {
        self.untrack(op);
        // An object whose ObjInfo was never changed has none of the four: skip reading it.
        let (finalizer, weakrefs, weakref, legacy) = if self.objs[op.index()].special {
            let info = self.info(op);
            (
                info.finalizer != Finalizer::None,
                !info.weaklist.is_empty(),
                info.weakref.is_some(),
                info.legacy_del,
            )
        } else {
            (false, false, false, false)
        };
        if finalizer {
            // The object is tracked again while its finalizer runs, as in CPython.
            self.track(op);
            if self.call_finalizer_from_dealloc(op) {
                return; // resurrected: it stays tracked (in generation 0) and alive
            }
            self.untrack(op);
        }
        if weakrefs {
            self.clear_weakrefs(op);
        }
        if weakref {
            // weakref_dealloc: detach from the referent and drop the callback.
            self.clear_weakref(op);
            self.info_mut(op).weakref = None;
        }
        if legacy {
            // slot_tp_del calls the class's `__tp_del__` (the object cannot resurrect here).
            let line = format!("__tp_del__ {}", self.name(op));
            self.print(line);
        }
        let o = self.obj_mut(op);
        let mut refs = std::mem::take(&mut o.refs);
        o.alive = false;
        refs.reverse();
        if pending.is_empty() {
            // Reuse the dead object's buffer as the worklist: one allocation less per object.
            *pending = refs;
        } else {
            pending.append(&mut refs);
        }
        // PyObject_GC_Del
        if self.generations[0].count > 0 {
            self.generations[0].count -= 1;
        }
    }
}
