//! The memory glue (Part V, your part): how the runtime's objects are born and die in *your*
//! allocator and collector. Each function mirrors a piece of CPython:
//!
//! - [`new_object`]: `PyObject_New` / `PyObject_GC_New` (Objects/object.c, Modules/gcmodule.c):
//!   the size from the layout, a block from the allocator, the first reference, `_PyObject_GC_Link`
//!   (which counts the allocation in generation 0 and may collect), `_PyObject_GC_TRACK`.
//! - [`dealloc`]: every type's `tp_dealloc` (`list_dealloc`, `tupledealloc`, `dict_dealloc`,
//!   `subtype_dealloc`, …) behind the trashcan (`Py_TRASHCAN_BEGIN`/`END`).
//! - [`traverse`] and [`clear`]: every container type's `tp_traverse` and `tp_clear`.

mod given;

// The given helpers (sizes, addresses, blocks, orders): read `memory/given.rs`.
pub use given::*;

use collector::cycles::{GcHeap, ObjId};
use collector::finalize::Finalizer;

use crate::interp::object::{Payload, PyObj};
use crate::interp::ops;
use crate::interp::state::State;

/// `_PyTrash_UNWIND_LEVEL` (3.11): deallocations nest at most this deep before the trashcan
/// parks objects instead of recursing.
pub const TRASH_UNWIND_LEVEL: usize = 50;

// ANCHOR: new_object
/// `PyObject_New` / `PyObject_GC_New`: makes an object holding `body` and returns the one
/// reference to it.
pub fn new_object(h: &mut GcHeap, body: Payload) -> ObjId {
    let size = object_size(&body);
    let is_gc = body.is_gc();
    let has_del = match &body {
        Payload::Instance(i) => ops::class_lookup(h, i.class, "__del__").is_some(),
        _ => false,
    };
    // A float, tuple, list or dict may come from its free list (objects::freelist decides):
    // then it reuses a parked block, and, as in CPython, is not counted again in generation 0.
    let (fl_id, parked) = match freelist_pop(h, &body) {
        Some((id, parked)) => (Some(id), parked),
        None => (None, None),
    };
    let from_freelist = parked.is_some();
    let block = match parked {
        Some(block) => block,
        None => malloc(h, size),
    };
    let obj = PyObj {
        block,
        size,
        items_block: 0,
        items_size: 0,
        fl_id,
        body,
    };
    let op = h.new_object(Box::new(obj), is_gc);
    // A list made with items ([a, b, c]) has an item array from the start.
    container_grew(h, op);
    if is_gc {
        if has_del {
            h.set_finalizer(op, Finalizer::Host);
        }
        if !from_freelist {
            h.gc_link();
        }
        // A new dict starts untracked: it is tracked when it first holds a container
        // (MAINTAIN_TRACKING in the given dict code).
        if !matches!(ops::body(h, op), Payload::Dict(_)) {
            h.track(op);
        }
        if h.state::<State>().options.stress {
            let _ = h.collect(0);
        }
    }
    op
}
// ANCHOR_END: new_object

// ANCHOR: dealloc
/// `tp_dealloc`: `op`'s count reached zero. Behind the trashcan: past
/// [`TRASH_UNWIND_LEVEL`] nested deallocations, park `op` on `State::trash` and return; the
/// outermost deallocation empties the trash, so a million-long chain never recurses deeply.
pub fn dealloc(h: &mut GcHeap, op: ObjId) {
    // Untrack first, as every tp_dealloc does before Py_TRASHCAN_BEGIN.
    h.untrack(op);
    let s = h.state_mut::<State>();
    if s.trash_depth >= TRASH_UNWIND_LEVEL {
        s.trash.push(op);
        return;
    }
    s.trash_depth += 1;
    dealloc_one(h, op);
    let s = h.state_mut::<State>();
    s.trash_depth -= 1;
    if s.trash_depth == 0 {
        while let Some(parked) = h.state_mut::<State>().trash.pop() {
            h.state_mut::<State>().trash_depth += 1;
            dealloc_one(h, parked);
            h.state_mut::<State>().trash_depth -= 1;
        }
    }
}

/// One object's deallocation: finalizer (which may resurrect), the references it holds dropped
/// in its type's order, its blocks back to the allocator, its slot freed.
fn dealloc_one(h: &mut GcHeap, op: ObjId) {
    if matches!(ops::body(h, op), Payload::Instance(_)) && h.is_gc(op) {
        // subtype_dealloc: track again while __del__ runs; stop if it resurrected the object.
        h.track(op);
        if h.call_finalizer_from_dealloc(op) {
            return;
        }
        h.untrack(op);
    }
    // subtype_dealloc, after the finalizer: clear the weak references to the dying object and
    // call their callbacks (PyObject_ClearWeakRefs).
    if h.is_gc(op) && h.getweakrefcount(op) > 0 {
        h.clear_weakrefs(op);
    }
    // weakref_dealloc: a dying weak reference leaves its referent's list.
    if matches!(ops::body(h, op), Payload::WeakRef { .. }) {
        h.clear_weakref(op);
    }
    // The references first (list_dealloc decrefs its items, then frees its memory).
    for r in take_references(h, op, true) {
        h.decref(r);
    }
    let (block, items) = {
        let o = h.payload::<PyObj>(op);
        (o.block, o.items_block)
    };
    if items != 0 {
        free_block(h, items);
    }
    // A float, tuple, list or dict may go onto its free list: its block waits there, and
    // PyObject_GC_Del (which takes one off generation 0's count) does not run.
    if freelist_push(h, op) {
        h.forget_object(op);
        return;
    }
    free_block(h, block);
    h.free_object(op);
}
// ANCHOR_END: dealloc

/// Empties `op`'s payload of the references it holds and returns them in the order its type
/// drops them: `list_dealloc` and `tupledealloc` from the last item to the first; dicts and
/// instance attributes first to last; an instance's class last (`subtype_dealloc`).
/// `dealloc`: everything; otherwise (`tp_clear`), what that type's `tp_clear` drops.
fn take_references(h: &mut GcHeap, op: ObjId, dealloc: bool) -> Vec<ObjId> {
    let mut out = Vec::new();
    let class = match ops::body(h, op) {
        Payload::Instance(i) => Some(i.class),
        _ => None,
    };
    let order = class.map(|c| slot_order(h, c)).unwrap_or_default();
    match ops::body_mut(h, op) {
        Payload::List(l) => {
            l.model.clear();
            out.extend(std::mem::take(&mut l.items).into_iter().rev());
        }
        Payload::Tuple(t) if dealloc => out.extend(std::mem::take(t).into_iter().rev()),
        Payload::Dict(d) => {
            for (k, v) in std::mem::take(&mut d.entries).into_iter().flatten() {
                out.push(k);
                out.push(v);
            }
            d.index.clear();
            d.model.clear();
        }
        Payload::Set(s) => {
            out.extend(std::mem::take(&mut s.items).into_iter().flatten());
            s.index.clear();
            s.model = Default::default();
        }
        Payload::Instance(i) => {
            // subtype_dealloc: the slots first (own class first, clear_slots), then the
            // values or the dict, then (dealloc only) the class.
            for &at in &order {
                out.extend(i.slots[at].take());
            }
            out.extend(std::mem::take(&mut i.attrs).into_iter().map(|(_, v)| v));
            out.extend(i.dict.take());
            if dealloc {
                out.push(i.class);
            }
        }
        Payload::Class(c) => {
            out.extend(std::mem::take(&mut c.attrs).into_iter().map(|(_, v)| v));
            out.extend(std::mem::take(&mut c.mro));
            out.extend(std::mem::take(&mut c.bases));
        }
        Payload::Function(f) => {
            if dealloc {
                out.push(f.globals);
            }
            out.extend(std::mem::take(&mut f.defaults));
            out.extend(std::mem::take(&mut f.kwdefaults).into_iter().map(|(_, v)| v));
            out.extend(f.closure.take());
        }
        Payload::Method { func, this } if dealloc => out.extend([*func, *this]),
        Payload::BuiltinMethod { this, .. } if dealloc => out.push(*this),
        Payload::Super { class, this } if dealloc => out.extend([*class, *this]),
        Payload::Cell(c) => out.extend(c.take()),
        Payload::WeakRef { callback, .. } => out.extend(callback.take()),
        Payload::Traceback { locals, next } => {
            // tb_dealloc: the next entry, then the frame (its variables in order).
            out.extend(next.take());
            out.extend(std::mem::take(locals));
        }
        Payload::Property { fget } if dealloc => out.push(*fget),
        Payload::Module { dict, .. } if dealloc => out.push(*dict),
        Payload::SeqIter { seq, .. } if dealloc => out.push(*seq),
        _ => {}
    }
    if !dealloc {
        container_grew(h, op);
    }
    out
}

// ANCHOR: traverse
/// `tp_traverse`: pushes every object `op` holds a strong reference to.
pub fn traverse(h: &GcHeap, op: ObjId, out: &mut Vec<ObjId>) {
    match &h.payload::<PyObj>(op).body {
        Payload::Tuple(items) => out.extend(items),
        Payload::List(l) => out.extend(&l.items),
        Payload::Dict(d) => {
            // dict_traverse skips the keys of a str-keyed table: strs hold no references.
            let str_keys = d.model.table().is_some_and(|t| t.unicode);
            for (k, v) in d.entries.iter().flatten() {
                if !str_keys {
                    out.push(*k);
                }
                out.push(*v);
            }
        }
        Payload::Set(s) => out.extend(s.items.iter().flatten()),
        Payload::Instance(i) => {
            // subtype_traverse: the slots (own first), the inline values, the dict, the class.
            for at in slot_order(h, i.class) {
                out.extend(i.slots[at]);
            }
            out.extend(i.attrs.iter().map(|(_, v)| *v));
            out.extend(i.dict);
            out.push(i.class);
        }
        Payload::Class(c) => {
            out.extend(c.attrs.iter().map(|(_, v)| *v));
            out.extend(&c.bases);
            out.extend(&c.mro);
        }
        Payload::Function(f) => {
            out.push(f.globals);
            out.extend(&f.defaults);
            out.extend(f.kwdefaults.iter().map(|(_, v)| *v));
            out.extend(f.closure);
        }
        Payload::Method { func, this } => out.extend([*func, *this]),
        Payload::BuiltinMethod { this, .. } => out.push(*this),
        Payload::Super { class, this } => out.extend([*class, *this]),
        Payload::Cell(c) => out.extend(c),
        Payload::WeakRef { callback, .. } => out.extend(callback),
        Payload::Traceback { locals, next } => {
            out.extend(next);
            out.extend(locals);
        }
        Payload::Property { fget } => out.push(*fget),
        Payload::Module { dict, .. } => out.push(*dict),
        Payload::SeqIter { seq, .. } => out.push(*seq),
        _ => {}
    }
}

/// `_PyTuple_MaybeUntrack` (`dicts` false: every collection's `untrack_tuples`) and
/// `_PyDict_MaybeUntrack` (`dicts` true: a full collection's `untrack_dicts`): may the collector
/// untrack `op`? A tuple whose items are all untracked (`may_be_tracked` is false for each); a
/// dict whose keys and values all are.
pub fn may_untrack(h: &GcHeap, op: ObjId, dicts: bool) -> bool {
    match &h.payload::<PyObj>(op).body {
        Payload::Tuple(items) if !dicts => !items.iter().any(|&i| may_be_tracked(h, i)),
        Payload::Dict(d) if dicts => !d
            .entries
            .iter()
            .flatten()
            .any(|&(k, v)| may_be_tracked(h, k) || may_be_tracked(h, v)),
        _ => false,
    }
}

/// `tp_clear`: drops the references `op` holds so that a cycle through it falls apart. Tuples,
/// bound methods and iterators have no `tp_clear` in CPython: the cycle breaks elsewhere.
pub fn clear(h: &mut GcHeap, op: ObjId) {
    for r in take_references(h, op, false) {
        h.decref(r);
    }
}
// ANCHOR_END: traverse
