//! Weak references (Part II, "Weak references"; ≈ `Objects/weakrefobject.c` and
//! `handle_weakrefs` in `Modules/gcmodule.c`).
//!
//! `weakref.ref(obj, callback)` creates a weak reference object: it refers to `obj` without
//! adding to its count, and when `obj` dies the weak reference is *cleared* (`wr()` returns
//! `None`) and `callback(wr)` is called. A weak reference is itself a tracked object; its
//! referent keeps a list of the weak references to it (`tp_weaklist`).
//!
//! The referent can die two ways, with two orders (3.11, `Objects/typeobject.c` and `Modules/gcmodule.c`):
//! - **Refcount path** (`subtype_dealloc`): the finalizer (`__del__`) runs first, then
//!   `PyObject_ClearWeakRefs` clears every weak reference and calls the callbacks.
//! - **GC path** (`handle_weakrefs`, before any finalizer): first clear every weak reference to
//!   every trash object (and every weak reference that *is* trash); only then call the
//!   callbacks, and only those of weak references that are not trash themselves. A callback
//!   must never see, or resurrect, an object the collector is about to clear.
//!
//! The data (declared in `cycles/heap.rs`): `self.info(op).weaklist` lists the weak references
//! to `op`; a weak reference `wr` has `self.info(wr).weakref = Some(WeakRefData { referent,
//! callback })`, which `self.weakref_data(wr)` reads; `self.basic_weakref(op)` finds `op`'s basic
//! weak reference (`get_basic_refs`). Use `info_mut` to change them.

// The `todo!()` bodies below do not use their parameters (or imports) yet:
// delete the `allow` below once they do.
#![allow(unused_variables, unused_imports)]

use crate::cycles::{GcHead, GcHeap, ListId, ObjId};

/// A weak reference's callback (`wr_callback`): what the Python callable does when called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Callback {
    message: Box<str>,
    discard: bool,
    /// A weak reference whose state the callback prints ([`Callback::print_cleared`]).
    observe: Option<ObjId>,
    /// A runtime's Python callable (Part V): the heap's host calls it.
    host: bool,
}

impl Callback {
    /// `lambda wr: print(message)`.
    pub fn print(message: &str) -> Callback {
        Callback {
            message: message.into(),
            discard: false,
            observe: None,
            host: false,
        }
    }

    /// A runtime's callback (Part V): the weak reference object holds the Python callable, and
    /// [`GcHeap::handle_callback`] asks the heap's host to call it
    /// (`crate::cycles::Host::weakref_callback`).
    pub fn host() -> Callback {
        Callback {
            host: true,
            ..Callback::print("")
        }
    }

    /// `lambda wr: print(f"{message}: {name}() is None: {other() is None}")`, where `other` is
    /// another weak reference and `{name}` its name (`wr(f)`): prints, for example,
    /// `cb-e: wr(f)() is None: True`. It shows what a callback can see of the *other* weak
    /// references at the moment it runs (CPython clears them all before calling any callback).
    ///
    /// The closure holds `other` strongly; this model does not count that reference, so the
    /// program must keep `other` alive itself (hold the reference `new_weakref` returned). A weak
    /// reference that was torn down anyway (`tp_clear`) reads as cleared.
    pub fn print_cleared(message: &str, other: ObjId) -> Callback {
        Callback {
            observe: Some(other),
            ..Callback::print(message)
        }
    }

    /// The same callback, which then also drops the program's reference to the weak reference
    /// (`registry.discard(wr)`, as `WeakValueDictionary` and `weakref.finalize` do): use it on
    /// a weak reference the program keeps only through the reference `new_weakref` returned.
    pub fn discarding(self) -> Callback {
        Callback {
            discard: true,
            ..self
        }
    }
}

/// The fields of a weak reference object (`PyWeakReference`).
#[allow(dead_code)] // (the stub's code does not read them yet)
#[derive(Debug)]
pub(crate) struct WeakRefData {
    /// `wr_object`: the referent, `None` once cleared.
    pub(crate) referent: Option<ObjId>,
    /// `wr_callback`.
    pub(crate) callback: Option<Callback>,
}

impl GcHeap {
    /// `handle_callback`: calls `callback(wr)`.
    pub fn handle_callback(&mut self, wr: ObjId, callback: &Callback) {
        if callback.host {
            if let Some(host) = self.host_of(wr) {
                host.weakref_callback(self, wr);
            }
            return;
        }
        let mut line = callback.message.to_string();
        if let Some(other) = callback.observe {
            let cleared = self
                .info(other)
                .weakref
                .as_ref()
                .is_none_or(|d| d.referent.is_none());
            let answer = if cleared { "True" } else { "False" };
            line += &format!(": {}() is None: {answer}", self.name(other));
        }
        self.print(line);
        if callback.discard {
            self.decref(wr);
        }
    }

    /// The fields of the weak reference `wr` (panics if `wr` is not one).
    #[allow(dead_code)] // (the stub's code does not call it yet)
    pub(crate) fn weakref_data(&self, wr: ObjId) -> &WeakRefData {
        self.info(wr)
            .weakref
            .as_deref()
            .expect("not a weak reference")
    }

    /// `get_basic_refs`: the referent's basic weak reference (the first of its `weaklist`, if
    /// that one has no callback).
    #[allow(dead_code)] // (the stub's code does not call it yet)
    pub(crate) fn basic_weakref(&self, referent: ObjId) -> Option<ObjId> {
        self.info(referent)
            .weaklist
            .first()
            .copied()
            .filter(|&wr| self.weakref_data(wr).callback.is_none())
    }
}

// ANCHOR: api
impl GcHeap {
    /// `weakref.ref(referent, callback)` (`weakref___new__`): returns a new reference to a weak
    /// reference object (tracked, named `wr(<referent's name>)`, [`crate::cycles::GcHeap::alloc`]).
    ///
    /// The referent's `weaklist` keeps CPython's order: the basic weak reference (no callback)
    /// first, then the ones with callbacks, **newest first** (`insert_head`/`insert_after`).
    /// Without a callback, an existing basic weak reference is shared: incref it and return it
    /// (`weakref.ref(o) is weakref.ref(o)` is `True`).
    ///
    /// Mind the order, as `weakref___new__` does: `alloc` may run an automatic collection
    /// (chapter 13), which can clear and free the basic weak reference you looked up before it.
    /// So look up the basic weak reference once to decide whether to share it, and **again
    /// after** `alloc` to decide where the new one goes (`get_basic_refs` after `tp_alloc`).
    // ANCHOR: new_weakref
    pub fn new_weakref(&mut self, referent: ObjId, callback: Option<Callback>) -> ObjId {
        // ANCHOR_END: new_weakref
        // TODO: share the basic weakref when there is no callback; else alloc one, fill its WeakRefData, look the basic weakref up again (alloc may have collected it) and insert the new one at CPython's position
        todo!("new_weakref: weakref___new__ (basic ref first, callback refs newest first)")
    }

    // ANCHOR: accessors
    /// `wr()`: the referent, or `None` once the weak reference was cleared.
    pub fn weakref_get(&self, wr: ObjId) -> Option<ObjId> {
        // TODO: the referent stored in the object's WeakRefData
        todo!("weakref_get: wr() is the referent, or None once cleared")
    }

    /// `weakref.getweakrefcount(op)`: how many weak references point at `op`.
    pub fn getweakrefcount(&self, op: ObjId) -> usize {
        // TODO: the length of op's weaklist
        todo!("getweakrefcount: len(tp_weaklist)")
    }
    // ANCHOR_END: accessors

    // ANCHOR: clear_weakref
    /// `_PyWeakref_ClearRef`: detaches the weak reference `wr` from its referent (take it off the
    /// referent's `weaklist`, set `referent` to `None`). The callback stays. Does nothing if `wr`
    /// is already cleared.
    pub fn clear_weakref(&mut self, wr: ObjId) {
        // ANCHOR_END: clear_weakref
        // TODO: take the referent out of wr's WeakRefData and remove wr from that referent's weaklist
        todo!("clear_weakref: _PyWeakref_ClearRef (the callback stays)")
    }

    /// `PyObject_ClearWeakRefs`, the refcount path (called by the dying object's dealloc,
    /// after its finalizer): clear **every** weak reference to `op` first, taking each one's
    /// callback away, and only then call the callbacks, in `weaklist` order. Hold a reference
    /// to each weak reference from before its callback runs until all callbacks ran (CPython
    /// keeps them in a tuple), so a callback that drops one does not free it under our feet.
    // ANCHOR: clear_weakrefs
    pub fn clear_weakrefs(&mut self, op: ObjId) {
        // ANCHOR_END: clear_weakrefs
        // TODO: take op's whole weaklist; clear each weakref and take its callback (incref the weakref); then call them all (self.handle_callback); then decref
        todo!("clear_weakrefs: PyObject_ClearWeakRefs, clear all first, then call back")
    }

    // ANCHOR: handle_weakrefs
    /// `handle_weakrefs`, the GC path. Returns how many weak references the callbacks freed.
    ///
    /// 1. Walk `unreachable` (read each `next` first). A trash object that is itself a weak
    ///    reference: clear it. Then clear every weak reference *to* the object. Of those, the
    ///    ones with a callback that are not trash (not COLLECTING): incref, and move to
    ///    `ListId::WRCB_TO_CALL` (start it empty). Trash weak references never call back.
    /// 2. Only after all clearing: while `WRCB_TO_CALL` is not empty, take its first weak
    ///    reference, call its callback (`handle_callback`; the callback stays on the weak
    ///    reference), decref it; if it is still first, move it to `old`, else count it freed.
    pub fn handle_weakrefs(&mut self, unreachable: ListId, old: ListId) -> usize {
        // ANCHOR_END: handle_weakrefs
        // TODO: pass 1 over unreachable: clear, and queue non-trash weakrefs with callbacks on WRCB_TO_CALL; pass 2: call, decref, move survivors to old
        todo!(
            "handle_weakrefs: clear everything first, call back only for weakrefs that are not trash"
        )
    }
}
// ANCHOR_END: api
