//! The memory glue (Part V, your part — fill in every `todo!()`): how the runtime's objects are born and die in *your*
//! allocator and collector. Each function mirrors a piece of CPython:
//!
//! - [`new_object`]: `PyObject_New` / `PyObject_GC_New` (Objects/object.c, Modules/gcmodule.c):
//!   the size from the layout, a block from the allocator, the first reference, `_PyObject_GC_Link`
//!   (which counts the allocation in generation 0 and may collect), `_PyObject_GC_TRACK`.
//! - [`dealloc`]: every type's `tp_dealloc` (`list_dealloc`, `tupledealloc`, `dict_dealloc`,
//!   `subtype_dealloc`, …) behind the trashcan (`Py_TRASHCAN_BEGIN`/`END`).
//! - [`traverse`] and [`clear`]: every container type's `tp_traverse` and `tp_clear`.

// The stub's functions do not use their arguments or these imports yet: your code will. Delete
// the `allow`s below once they do.
#![allow(unused_variables, unused_imports, dead_code, clippy::ptr_arg)]

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
    // TODO: size it (`object_size`), take a block (`freelist_pop` may hand you a parked one;
    // otherwise `malloc`), make the heap
    // object (`h.new_object`), give a list its item array (`container_grew`), and for a GC type:
    // a `Finalizer::Host` if its class has `__del__`, `h.gc_link()`, `h.track(op)` (but not for
    // a dict: it starts untracked), and a generation-0 collection in stress mode.
    todo!("new_object: PyObject_GC_New (see the book, Part V)")
}
// ANCHOR_END: new_object

// ANCHOR: dealloc
/// `tp_dealloc`: `op`'s count reached zero. Behind the trashcan: past
/// [`TRASH_UNWIND_LEVEL`] nested deallocations, park `op` on `State::trash` and return; the
/// outermost deallocation empties the trash, so a million-long chain never recurses deeply.
pub fn dealloc(h: &mut GcHeap, op: ObjId) {
    // TODO: untrack; past TRASH_UNWIND_LEVEL nested deallocations park `op` on the state's
    // `trash`; otherwise deallocate it (`dealloc_one`) and, once back at depth 0, empty the trash.
    todo!("dealloc: tp_dealloc behind the trashcan")
}

/// One object's deallocation: finalizer (which may resurrect), the references it holds dropped
/// in its type's order, its blocks back to the allocator, its slot freed.
fn dealloc_one(h: &mut GcHeap, op: ObjId) {
    // TODO: an instance runs its finalizer first (track it again meanwhile, as subtype_dealloc
    // does; stop if it resurrected), then clears the weak references to it
    // (`h.clear_weakrefs`); a weak reference leaves its referent's list (`h.clear_weakref`).
    // Then drop the references it holds (`take_references`, in that order), free its item
    // array (`free_block`), and either park it on its free list (`freelist_push`, then
    // `h.forget_object`) or free its block and end with `h.free_object(op)`.
    todo!("dealloc_one: one object's tp_dealloc")
}
// ANCHOR_END: dealloc

/// Empties `op`'s payload of the references it holds and returns them in the order its type
/// drops them: `list_dealloc` and `tupledealloc` from the last item to the first; dicts and
/// instance attributes first to last; an instance's class last (`subtype_dealloc`).
/// `dealloc`: everything; otherwise (`tp_clear`), what that type's `tp_clear` drops.
fn take_references(h: &mut GcHeap, op: ObjId, dealloc: bool) -> Vec<ObjId> {
    // TODO: one arm per type: take the references out of the payload, in the order its
    // tp_dealloc (or tp_clear) drops them. See the doc comment for the orders.
    todo!("take_references")
}

// ANCHOR: traverse
/// `tp_traverse`: pushes every object `op` holds a strong reference to.
pub fn traverse(h: &GcHeap, op: ObjId, out: &mut Vec<ObjId>) {
    // TODO: one arm per container type: push every object the payload holds.
    todo!("traverse: tp_traverse")
}

/// `_PyTuple_MaybeUntrack` (`dicts` false: every collection's `untrack_tuples`) and
/// `_PyDict_MaybeUntrack` (`dicts` true: a full collection's `untrack_dicts`): may the collector
/// untrack `op`? A tuple whose items are all untracked (`may_be_tracked` is false for each); a
/// dict whose keys and values all are.
pub fn may_untrack(h: &GcHeap, op: ObjId, dicts: bool) -> bool {
    // TODO: one arm for tuples (when `!dicts`), one for dicts (when `dicts`), `false` otherwise.
    todo!("may_untrack: _PyTuple_MaybeUntrack / _PyDict_MaybeUntrack")
}

/// `tp_clear`: drops the references `op` holds so that a cycle through it falls apart. Tuples,
/// bound methods and iterators have no `tp_clear` in CPython: the cycle breaks elsewhere.
pub fn clear(h: &mut GcHeap, op: ObjId) {
    // TODO: drop what `take_references(h, op, false)` takes.
    todo!("clear: tp_clear")
}
// ANCHOR_END: traverse
