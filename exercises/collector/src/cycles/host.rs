//! Type slots: how a runtime plugs real objects into the heap (given code, used by Part V).
//!
//! In chapters 4 to 13 the heap *is* the object model: an object is a refcount, a list of
//! references and a name. A real interpreter has objects of many types, each with its own
//! fields, and CPython's collector knows none of them: it only calls the type's slots.
//! `tp_traverse` lists the references an object holds, `tp_clear` drops them to break a cycle,
//! `tp_dealloc` frees an object whose count reached zero, and `tp_finalize` is `__del__`
//! (`Include/cpython/object.h`, `struct _typeobject`).
//!
//! A [`Host`] is those slots for every type of a runtime (the capstone's `runtime` crate). Once
//! [`GcHeap::set_host`] installs one, the heap stops using its own model for objects made with
//! [`GcHeap::new_object`]:
//!
//! - [`GcHeap::traverse`] asks [`Host::tp_traverse`] instead of reading `refs`;
//! - [`GcHeap::tp_clear`] calls [`Host::tp_clear`];
//! - a count reaching zero calls [`Host::tp_dealloc`], which ends with
//!   [`GcHeap::free_object`] (`PyObject_GC_Del` / `PyObject_Free`), unless it resurrects;
//! - a `Finalizer::Host` finalizer calls [`Host::tp_finalize`].
//!
//! Each object carries a *payload*, the fields of its type (`Box<dyn Any>`, like the part of a
//! C struct after `PyObject_HEAD`), and the heap carries one *state* for the whole runtime (like
//! the interpreter state). The slots receive `&mut GcHeap`, so a slot may run Python code (a
//! `__del__`) that allocates, decrefs and even collects: everything it needs is reachable from
//! the heap, and the slots themselves hold no state (`&'static`).
//!
//! Unlike the chapters' objects, runtime objects may be of a type that is *not* a GC type
//! (ints, strs): they are counted but never tracked, and do not count towards generation 0.
//! Their slots are reused after they die, as CPython reuses the memory of a freed object.

use std::any::Any;

use super::gc_head::{GcHead, ObjId};
use super::heap::{GcHeap, Obj, ObjInfo};
use crate::generations::{GcInfo, Phase};

/// The type slots of every object of a runtime. Each receives the heap, so that it can run code.
pub trait Host {
    /// `tp_traverse`: push every object `op` holds a strong reference to (GC objects suffice;
    /// the collector ignores the others, as `visit_decref` checks `_PyObject_IS_GC`).
    fn tp_traverse(&self, heap: &GcHeap, op: ObjId, out: &mut Vec<ObjId>);
    /// `tp_clear`: drop the references `op` holds, to break a cycle (the collector holds one
    /// reference to `op` meanwhile).
    fn tp_clear(&self, heap: &mut GcHeap, op: ObjId);
    /// `tp_dealloc`: `op`'s count reached zero. Drop what it holds and end with
    /// [`GcHeap::free_object`] (or leave it alive if its finalizer resurrected it).
    fn tp_dealloc(&self, heap: &mut GcHeap, op: ObjId);
    /// `tp_finalize`: run `op`'s `__del__` (the heap keeps it alive meanwhile).
    fn tp_finalize(&self, heap: &mut GcHeap, op: ObjId);
    /// Call the Python callback of the weak reference `wr` (made with `Callback::host`), which
    /// `wr`'s payload holds, with `wr` as its argument.
    fn weakref_callback(&self, heap: &mut GcHeap, wr: ObjId);
    /// Call the runtime's `gc.callbacks` with `phase` and `info` (`invoke_gc_callback`).
    fn gc_callback(&self, heap: &mut GcHeap, phase: Phase, info: &GcInfo);
    /// `_PyTuple_MaybeUntrack` (`dicts` false) / `_PyDict_MaybeUntrack` (`dicts` true): may
    /// the collector untrack `op`, a reachable object of the generation just collected, because
    /// it can never be part of a cycle (a tuple, or a dict, holding only untracked objects)?
    /// Every collection asks about tuples; only a full collection asks about dicts.
    fn may_untrack(&self, heap: &GcHeap, op: ObjId, dicts: bool) -> bool;
    /// `clear_freelists`, at the end of a full collection: empty the runtime's free lists.
    fn clear_freelists(&self, heap: &mut GcHeap);
    /// `gc.set_debug(gc.DEBUG_SAVEALL)`: append `op`, found unreachable, to the runtime's
    /// `gc.garbage` instead of freeing it.
    fn save_garbage(&self, heap: &mut GcHeap, op: ObjId);
    /// `Py_TYPE(op)->tp_name` and the address, as `debug_cycle` prints an object: `Node 0x7f…`.
    fn describe(&self, heap: &GcHeap, op: ObjId) -> String;
    /// Print one line of the collector's own output (`DEBUG_STATS`, unraisable reports) to the
    /// runtime's stderr.
    fn write_line(&self, heap: &mut GcHeap, line: &str);
}

impl GcHeap {
    /// Installs the type slots of a runtime. From now on, objects made with
    /// [`GcHeap::new_object`] are freed, traversed, cleared and finalized by `host`.
    pub fn set_host(&mut self, host: &'static dyn Host) {
        self.host = Some(host);
    }

    /// The runtime's state (its interpreter state): set once with [`GcHeap::set_state`].
    pub fn set_state(&mut self, state: Box<dyn Any>) {
        self.state = Some(state);
    }

    /// The runtime's state. Panics if none was set or it has another type.
    pub fn state<T: 'static>(&self) -> &T {
        self.state
            .as_deref()
            .and_then(|s| s.downcast_ref())
            .expect("the heap's state has another type (or was never set)")
    }

    /// [`GcHeap::state`], to change.
    pub fn state_mut<T: 'static>(&mut self) -> &mut T {
        self.state
            .as_deref_mut()
            .and_then(|s| s.downcast_mut())
            .expect("the heap's state has another type (or was never set)")
    }

    /// Makes a runtime object holding `payload`, with refcount 1 (the caller's reference),
    /// untracked. `is_gc`: its type is a GC type (`Py_TPFLAGS_HAVE_GC`). This is only the memory
    /// and the header: `_PyObject_GC_Link` ([`GcHeap::gc_link`]) and `_PyObject_GC_TRACK`
    /// ([`GcHeap::track`]) are separate steps, as in CPython. The handle of a freed runtime
    /// object is reused, like its memory.
    pub fn new_object(&mut self, payload: Box<dyn Any>, is_gc: bool) -> ObjId {
        let obj = Obj {
            refcnt: 1,
            alive: true,
            special: false,
            refs: Vec::new(),
        };
        let info = ObjInfo {
            payload: Some(payload),
            is_gc,
            host: true,
            ..ObjInfo::default()
        };
        if let Some(id) = self.free_ids.pop() {
            let op = ObjId(id);
            self.objs[op.index()] = obj;
            self.infos[op.index()] = info;
            self.gc[op] = GcHead::unlinked();
            return op;
        }
        let id = u32::try_from(self.objs.len()).expect("a heap holds fewer than 2^32 objects");
        self.objs.push(obj);
        self.infos.push(info);
        self.gc.0.push(GcHead::unlinked());
        ObjId(id)
    }

    /// Turns `op`, an object the chapters' code made with [`GcHeap::alloc`] (a weak reference
    /// from `new_weakref`), into a runtime object holding `payload`: from now on the host's slots
    /// free, traverse and clear it. It stays tracked and counted as it is.
    pub fn adopt(&mut self, op: ObjId, payload: Box<dyn Any>) {
        let info = &mut self.infos[op.index()];
        info.host = true;
        info.is_gc = true;
        info.payload = Some(payload);
    }

    /// Is `op` a runtime object (made by [`GcHeap::new_object`] or adopted)?
    pub fn is_runtime(&self, op: ObjId) -> bool {
        self.infos[op.index()].host
    }

    /// `_PyObject_GC_Link`: count one more GC allocation in generation 0, and collect first if
    /// that passes threshold 0 (3.11 runs the collection here, before the new object is
    /// tracked). Call it for a GC object, after [`GcHeap::new_object`] and before tracking it.
    pub fn gc_link(&mut self) {
        let gen0 = &mut self.generations[0];
        gen0.count += 1;
        if gen0.count > gen0.threshold && self.enabled && gen0.threshold != 0 && !self.collecting {
            self.collecting = true;
            self.collect_generations();
            self.collecting = false;
        }
    }

    /// Takes back one generation-0 count: for an object a runtime makes lazily that CPython's
    /// compiler made before the program started (a constant tuple in `co_consts`).
    pub fn gc_unlink(&mut self) {
        let gen0 = &mut self.generations[0];
        gen0.count = gen0.count.saturating_sub(1);
    }

    /// `PyObject_GC_Del` / `PyObject_Free`: the end of a runtime object's `tp_dealloc`. Its slot
    /// becomes free for a new object; a GC object also takes one off generation 0's count (if it
    /// is above 0), as 3.11 does. The object must already be untracked.
    pub fn free_object(&mut self, op: ObjId) {
        debug_assert!(!self.is_tracked(op), "free_object of a tracked object");
        if self.is_tracked(op) {
            self.untrack(op);
        }
        let info = &mut self.infos[op.index()];
        let is_gc = info.is_gc;
        info.payload = None;
        info.weaklist.clear();
        info.weakref = None;
        let o = &mut self.objs[op.index()];
        o.alive = false;
        o.refcnt = 0;
        if is_gc && self.generations[0].count > 0 {
            self.generations[0].count -= 1;
        }
        self.free_ids.push(op.0);
    }

    /// The end of a `tp_dealloc` that keeps the object's memory on a free list (`list_dealloc`
    /// pushing onto the list free list): the slot is freed like [`GcHeap::free_object`], but
    /// generation 0's count is left alone, since `PyObject_GC_Del` never runs.
    pub fn forget_object(&mut self, op: ObjId) {
        let count = self.generations[0].count;
        self.free_object(op);
        self.generations[0].count = count;
    }

    /// Is `op`'s type a GC type? (Chapter objects always are.)
    pub fn is_gc(&self, op: ObjId) -> bool {
        let info = &self.infos[op.index()];
        !info.host || info.is_gc
    }

    /// The payload of runtime object `op`, as a `T`. Panics if `op` is dead or holds another type.
    #[track_caller]
    pub fn payload<T: 'static>(&self, op: ObjId) -> &T {
        self.infos[op.index()]
            .payload
            .as_deref()
            .and_then(|p| p.downcast_ref())
            .expect("no payload of this type (a dead object?)")
    }

    /// [`GcHeap::payload`], to change.
    #[track_caller]
    pub fn payload_mut<T: 'static>(&mut self, op: ObjId) -> &mut T {
        self.infos[op.index()]
            .payload
            .as_deref_mut()
            .and_then(|p| p.downcast_mut())
            .expect("no payload of this type (a dead object?)")
    }

    /// Sets `op`'s reference count directly. Only a runtime's `tp_dealloc` needs it: CPython's
    /// `subtype_dealloc` and the trashcan briefly revive a dying object (`Py_SET_REFCNT`).
    pub fn set_refcnt(&mut self, op: ObjId, refcnt: usize) {
        self.obj_mut(op).refcnt = u32::try_from(refcnt).expect("refcount fits in u32");
    }

    /// `untrack_tuples` / `untrack_dicts` (Modules/gcmodule.c): untracks every object of `list`
    /// that the host says may be untracked.
    pub(crate) fn untrack_containers(&mut self, list: super::gc_head::ListId, dicts: bool) {
        let Some(host) = self.host else {
            return;
        };
        let head = list.node();
        let mut gc = self.gc[head].next;
        while gc != head {
            let next = self.gc[gc].next;
            let op = gc.obj();
            if self.infos[op.index()].host && host.may_untrack(self, op, dicts) {
                self.gc_list_remove(op);
            }
            gc = next;
        }
    }

    /// The host's slots, if `op` is a runtime object.
    pub(crate) fn host_of(&self, op: ObjId) -> Option<&'static dyn Host> {
        // The heap's own field first: a chapter heap has no host, and a collection then never
        // reads the (large, cold) `ObjInfo` of every object it traverses.
        let host = self.host?;
        self.infos[op.index()].host.then_some(host)
    }
}
