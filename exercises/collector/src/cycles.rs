//! Cycles: gc lists and the unreachable set (Part II, "Cycles"; ≈ `Modules/gcmodule.c` in
//! CPython 3.11, `Python/gc.c` from 3.13).
//!
//! Reference counting never frees a cycle: `a.other = b; b.other = a; del a, b` leaves both
//! counts at 1. CPython's cycle collector finds such groups without knowing the program's
//! roots. It only looks at the *container* objects it tracks, each linked into a gc list
//! through its `PyGC_Head`, and reasons about counts:
//!
//! 1. `update_refs`: copy every refcount into `gc_refs` and flag the object COLLECTING.
//! 2. `subtract_refs`: for every reference *between* collected objects, subtract one. What is
//!    left is the number of references from outside: from variables, from older generations.
//! 3. `move_unreachable`: an object with `gc_refs > 0` is reachable, and so is everything it
//!    references (transitively). Everything else is moved to the `unreachable` list.
//!
//! `collect_main` (given in `cycles/collect.rs`, which follows `gc_collect_main` phase by phase
//! and lists where it differs) runs these phases and then frees the unreachable set with
//! `delete_garbage`; `collect` is the `gc.collect(generation)` entry point in front of it.
//!
//! The lists are intrusive, circular and doubly linked, with a sentinel head, exactly like
//! `PyGC_Head`'s `_gc_next`/`_gc_prev`, but with indices ([`Node`]) instead of pointers: moving an
//! object between lists and merging two lists are O(1).
//!
//! The object model is given: [`GcHeap`] in `cycles/heap.rs`, [`GcHead`], [`ObjId`], [`ListId`]
//! and [`Node`] in `cycles/gc_head.rs`. What you use:
//! `self.gc[op]`, `self.gc[list]` and `self.gc[node]` (a [`GcHead`]); `node.obj()` and
//! `op.node()` to go between nodes and objects; `self.obj(op).refcnt`; `self.traverse(op,
//! |heap, r| ...)` to visit the references `op` holds; `self.tp_clear(op)`; `incref`/`decref`.

// The `todo!()` bodies below do not use their parameters (or imports) yet:
// delete the `allow` below once they do.
#![allow(unused_variables, unused_imports)]

mod collect;
mod dealloc;
mod gc_head;
mod heap;
mod host;

pub use collect::Collected;
pub use gc_head::{GcHead, Heads, ListId, NUM_GENERATIONS, Node, ObjId};
pub use heap::GcHeap;
pub use host::Host;

use std::fmt;

/// `gc.collect(generation)` with a generation outside 0..=2: CPython raises
/// `ValueError("invalid generation")`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GcError {
    /// The generation asked for does not exist.
    InvalidGeneration,
}

impl fmt::Display for GcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GcError::InvalidGeneration => f.write_str("invalid generation"),
        }
    }
}

impl std::error::Error for GcError {}

// ANCHOR: api
impl GcHeap {
    // ANCHOR: gc_list_init
    /// `gc_list_init`: makes `list` empty (its head's `next` and `prev` point at the head).
    pub fn gc_list_init(&mut self, list: ListId) {
        // ANCHOR_END: gc_list_init
        // TODO: point the head's next and prev at the head itself
        todo!("gc_list_init: head.next = head.prev = head")
    }

    // ANCHOR: gc_list_is_empty
    /// `gc_list_is_empty`: is the head's `next` the head itself?
    pub fn gc_list_is_empty(&self, list: ListId) -> bool {
        // ANCHOR_END: gc_list_is_empty
        // TODO: compare the head's next with the head
        todo!("gc_list_is_empty: is self.gc[list].next the head node?")
    }

    // ANCHOR: gc_list_append
    /// `gc_list_append`: links the (unlinked) object `op` at the end of `list`, i.e. just
    /// before the head. Four links change: the old last node's `next`, the head's `prev`, and
    /// `op`'s `prev` and `next`.
    pub fn gc_list_append(&mut self, op: ObjId, list: ListId) {
        // ANCHOR_END: gc_list_append
        // TODO: link op between the current last node (head.prev) and the head
        todo!("gc_list_append: four links change (last.next, head.prev, op.prev, op.next)")
    }

    // ANCHOR: gc_list_remove
    /// `gc_list_remove`: unlinks `op` from whatever list it is on and marks it untracked
    /// (`next` = [`Node::NONE`]; CPython sets `_gc_next` to 0). Its neighbours now point at
    /// each other.
    pub fn gc_list_remove(&mut self, op: ObjId) {
        // ANCHOR_END: gc_list_remove
        // TODO: make op's neighbours point at each other, then mark op untracked
        todo!("gc_list_remove: prev.next = next; next.prev = prev; op.next = Node::NONE")
    }

    // ANCHOR: gc_list_move
    /// `gc_list_move`: moves `op` from the list it is on (not named: the links say) to the end
    /// of `list`. O(1).
    pub fn gc_list_move(&mut self, op: ObjId, list: ListId) {
        // ANCHOR_END: gc_list_move
        // TODO: unlink op from its neighbours, then append it to list
        todo!("gc_list_move: unlink (like gc_list_remove, without untracking), then gc_list_append")
    }

    // ANCHOR: gc_list_merge
    /// `gc_list_merge`: appends every object of `from` to the end of `to`, in order, and leaves
    /// `from` empty. O(1): splice the chain between the two heads, whatever its length.
    pub fn gc_list_merge(&mut self, from: ListId, to: ListId) {
        // ANCHOR_END: gc_list_merge
        // TODO: splice from's first..last chain after to's last node; then make from empty
        todo!("gc_list_merge: O(1) splice, then gc_list_init(from)")
    }

    // ANCHOR: gc_list_size
    /// `gc_list_size`: how many objects are on `list` (a walk: O(n)).
    pub fn gc_list_size(&self, list: ListId) -> usize {
        // ANCHOR_END: gc_list_size
        // TODO: walk next links from the head until you are back at the head
        todo!("gc_list_size: count the nodes")
    }

    // ANCHOR: update_refs
    /// `update_refs`: for every object on `containers`, set `gc_refs` to its refcount and set
    /// the COLLECTING flag (keep FINALIZED). CPython asserts `gc_refs != 0`: a tracked object
    /// with refcount 0 should already have been deallocated (a `debug_assert!` is enough; no
    /// test relies on it).
    pub fn update_refs(&mut self, containers: ListId) {
        // ANCHOR_END: update_refs
        // TODO: walk containers: gc_refs = refcount, set GcHead::COLLECTING (keep the other flags)
        todo!("update_refs: gc_refs = ob_refcnt and COLLECTING for every object on the list")
    }

    // ANCHOR: visit_decref
    /// `visit_decref`: the visitor of `subtract_refs`. If `op` is being collected (COLLECTING),
    /// one of its references comes from inside the collected set: subtract 1 from its
    /// `gc_refs`. Objects of other generations are left alone.
    pub fn visit_decref(&mut self, op: ObjId) {
        // ANCHOR_END: visit_decref
        // TODO: if op is COLLECTING, subtract 1 from its gc_refs
        todo!("visit_decref: only objects being collected lose a count")
    }

    // ANCHOR: subtract_refs
    /// `subtract_refs`: traverse every object on `containers` with `visit_decref`. Afterwards
    /// `gc_refs` counts only the references from outside the set.
    pub fn subtract_refs(&mut self, containers: ListId) {
        // ANCHOR_END: subtract_refs
        // TODO: walk containers and traverse each object: self.traverse(op, |heap, r| heap.visit_decref(r))
        todo!("subtract_refs: visit_decref every reference held by the objects on the list")
    }

    /// `visit_reachable`: the visitor of `move_unreachable`, called for each object `op` that a
    /// reachable object references. `reachable` is the list being scanned (`young`).
    /// - Not COLLECTING: another generation, or already scanned: nothing to do.
    /// - UNREACHABLE: it was moved to `unreachable` too early. Move it back to the end of
    ///   `reachable` (the scan will reach it again), clear UNREACHABLE, set `gc_refs` to 1.
    /// - `gc_refs == 0`, still in `reachable`: set `gc_refs` to 1 so the scan keeps it.
    /// - `gc_refs > 0`: the scan will keep it anyway.
    // ANCHOR: visit_reachable
    pub fn visit_reachable(&mut self, op: ObjId, reachable: ListId) {
        // ANCHOR_END: visit_reachable
        // TODO: not COLLECTING: nothing; UNREACHABLE: move back to reachable, clear the flag, gc_refs = 1; gc_refs 0: set it to 1
        todo!("visit_reachable: rescue a tentatively unreachable object")
    }

    /// `move_unreachable`: scan `young` from first to last.
    /// - `gc_refs > 0`: reachable. Traverse it with `visit_reachable` (which may append objects
    ///   to `young`), then clear its COLLECTING flag. Read its `next` only *after* traversing.
    /// - `gc_refs == 0`: maybe unreachable. Read its `next` *before* moving it (the move
    ///   relinks it into `unreachable`), then move it to the end of `unreachable` and set its
    ///   UNREACHABLE flag; a later reachable object may still move it back.
    ///
    /// At the end `young` holds exactly the objects reachable from outside, and `unreachable`
    /// the rest, each still COLLECTING and UNREACHABLE.
    // ANCHOR: move_unreachable
    pub fn move_unreachable(&mut self, young: ListId, unreachable: ListId) {
        // ANCHOR_END: move_unreachable
        // TODO: scan young: gc_refs > 0 -> traverse with visit_reachable, clear COLLECTING, then read next; else move to unreachable and flag UNREACHABLE
        todo!("move_unreachable: split young into reachable (stays) and unreachable (moved)")
    }

    // ANCHOR: deduce_unreachable
    /// `deduce_unreachable`: `update_refs(base)`, `subtract_refs(base)`, make `unreachable`
    /// empty, `move_unreachable(base, unreachable)`.
    pub fn deduce_unreachable(&mut self, base: ListId, unreachable: ListId) {
        // ANCHOR_END: deduce_unreachable
        // TODO: update_refs, subtract_refs, gc_list_init(unreachable), move_unreachable
        todo!("deduce_unreachable: the three phases in order")
    }

    /// `delete_garbage`: free what is on `collectable`. Repeatedly take the *first* object:
    /// `incref` it, `tp_clear` it (it drops its references, which breaks the cycle and lets
    /// reference counting free objects, removing them from the list), `decref` it. If it is
    /// still the first object afterwards, it survived: clear its COLLECTING flag (CPython's
    /// `gc_clear_collecting`, so a later collection of another generation ignores it) and move
    /// it to `old`.
    // ANCHOR: delete_garbage
    pub fn delete_garbage(&mut self, collectable: ListId, old: ListId) {
        // ANCHOR_END: delete_garbage
        // TODO: take the first object: incref, self.tp_clear(op), decref; still first? move it to old
        todo!("delete_garbage: clear the first object until the list is empty")
    }

    // ANCHOR: collect
    /// `gc.collect(generation)` (`gc_collect_impl`): `Err(InvalidGeneration)` outside 0..=2;
    /// `Ok(0)` if a collection is already running (`collecting`); otherwise set `collecting`,
    /// run `collect_with_callback(generation)`, clear `collecting`, and return its result: the
    /// number of unreachable objects found (collected + uncollectable).
    pub fn collect(&mut self, generation: usize) -> Result<usize, GcError> {
        // ANCHOR_END: collect
        // TODO: check the generation, then the collecting flag, then call self.collect_with_callback(generation)
        todo!("collect: gc_collect_impl")
    }
}
// ANCHOR_END: api
