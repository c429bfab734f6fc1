//! Finalizers: `__del__`, PEP 442, resurrection and legacy `tp_del` (Part II, "`__del__`
//! pitfalls"; ≈ `finalize_garbage`, `handle_resurrected_objects` and the legacy-finalizer
//! functions of `Modules/gcmodule.c`, `PyObject_CallFinalizer*` in `Objects/object.c`).
//!
//! Since PEP 442 (3.4) a class's `__del__` becomes `tp_finalize`, and the collector calls it
//! on unreachable objects, at most once per object (the FINALIZED bit). A finalizer may
//! *resurrect* its object (store `self` somewhere reachable); since 3.9 the collector then
//! recomputes reachability on the unreachable set, so that only what is still dead is cleared.
//! A finalizer that raises cannot propagate the exception: it is reported through
//! `sys.unraisablehook`. C types with the legacy `tp_del` slot are never finalized by the
//! collector: their cycles (and everything reachable from them) go to `gc.garbage`.
//!
//! The data (declared in `cycles/heap.rs`): `self.info(op).finalizer` and
//! `self.info(op).legacy_del` describe the object's type; the FINALIZED bit is in
//! `self.gc[op].flags`; the count is `self.obj(op).refcnt`; `self.garbage` is `gc.garbage` and
//! `self.unraisablehook` is `sys.unraisablehook` (`None`: the default hook).

// The `todo!()` bodies below do not use their parameters (or imports) yet:
// delete the `allow` below once they do.
#![allow(unused_variables, unused_imports)]

use crate::cycles::{GcHead, GcHeap, ListId, ObjId};

/// What an object's `__del__` does, if its class defines one. Every finalizer first prints a
/// line starting `__del__ <name>`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Finalizer {
    /// The class has no `__del__` (`tp_finalize` is NULL).
    #[default]
    None,
    /// `def __del__(self): print("__del__", self.name)`.
    Print,
    /// `print("__del__", self.name, "is_finalized:", gc.is_finalized(self))`: shows whether the
    /// FINALIZED flag was set before the call (GC path) or not yet (refcount path).
    PrintIsFinalized,
    /// Prints like `Print`, then `survivors.append(self)`: a global now refers to the object, which comes back
    /// to life. The program drops that reference later with [`GcHeap::decref`]
    /// (`survivors.clear()`).
    Resurrect,
    /// `print("__del__", self.name, "inner gc.collect():", gc.collect())`: a collection asked
    /// for while one may be running. Python evaluates the arguments first, so the nested
    /// collection runs (and prints) before this line. During a collection `gc.collect()`
    /// returns 0 at once (the `collecting` flag); on the refcount path it collects for real.
    CollectInside,
    /// Prints like `Print`, then raises: `error` is the exception's last traceback line (`"ValueError: boom"`),
    /// `class` the class's name (for the report `<function C.__del__ at 0x…>`).
    Raise {
        /// The class that defines `__del__`.
        class: &'static str,
        /// `"ExceptionType: message"`.
        error: &'static str,
    },
    /// A runtime's `__del__` (Part V): [`GcHeap::tp_finalize`] calls the heap's host
    /// (`crate::cycles::Host::tp_finalize`), which runs the Python method.
    Host,
}

/// The arguments of `sys.unraisablehook` (`UnraisableHookArgs`), as text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnraisableHookArgs {
    /// `err_msg`: `"Exception ignored in"`.
    pub err_msg: String,
    /// `repr(object)`: the `__del__` function that raised, address written `0x…`.
    pub object: String,
    /// The exception, `"ValueError: boom"`.
    pub exc: String,
}

/// A replacement for `sys.unraisablehook`.
pub type UnraisableHook = Box<dyn FnMut(&UnraisableHookArgs)>;

impl GcHeap {
    /// Gives `op`'s class a `__del__` that does `finalizer`.
    pub fn set_finalizer(&mut self, op: ObjId, finalizer: Finalizer) {
        self.info_mut(op).finalizer = finalizer;
    }

    /// Gives `op`'s type a legacy `tp_del` (like a class wrapped in `_testcapi.with_tp_del`):
    /// on the refcount path it prints `__tp_del__ <name>`; the collector never calls it.
    pub fn set_legacy_finalizer(&mut self, op: ObjId) {
        self.info_mut(op).legacy_del = true;
    }

    /// Sets `sys.unraisablehook` (`None`: back to the default hook).
    pub fn set_unraisablehook(&mut self, hook: Option<UnraisableHook>) {
        self.unraisablehook = hook;
    }

    /// `gc.garbage`: the uncollectable objects, oldest first (the list holds a reference to each).
    pub fn garbage(&self) -> &[ObjId] {
        &self.garbage
    }

    /// `slot_tp_finalize`: runs the body of `op`'s `__del__`. An exception does not escape: it
    /// goes to `write_unraisable` (`PyErr_WriteUnraisable(del)`).
    pub fn tp_finalize(&mut self, op: ObjId) {
        let finalizer = self.info(op).finalizer;
        if finalizer == Finalizer::Host {
            if let Some(host) = self.host_of(op) {
                host.tp_finalize(self, op);
            }
            return;
        }
        let mut line = format!("__del__ {}", self.name(op));
        if finalizer == Finalizer::PrintIsFinalized {
            let flag = if self.is_finalized(op) {
                "True"
            } else {
                "False"
            };
            line += &format!(" is_finalized: {flag}");
        }
        if finalizer == Finalizer::CollectInside {
            let n = self.collect(2).expect("generation 2 exists");
            line += &format!(" inner gc.collect(): {n}");
        }
        self.print(line);
        match finalizer {
            Finalizer::None
            | Finalizer::Print
            | Finalizer::PrintIsFinalized
            | Finalizer::CollectInside
            | Finalizer::Host => {}
            Finalizer::Resurrect => self.incref(op),
            Finalizer::Raise { class, error } => self.write_unraisable(UnraisableHookArgs {
                err_msg: "Exception ignored in".to_string(),
                object: format!("<function {class}.__del__ at 0x…>"),
                exc: error.to_string(),
            }),
        }
    }
}

// ANCHOR: api
impl GcHeap {
    // ANCHOR: is_finalized
    /// `gc.is_finalized(op)`: has its finalizer already run (the FINALIZED flag)?
    pub fn is_finalized(&self, op: ObjId) -> bool {
        // ANCHOR_END: is_finalized
        // TODO: test the GcHead::FINALIZED flag of op
        todo!("is_finalized: gc.is_finalized")
    }

    // ANCHOR: write_unraisable
    /// `PyErr_WriteUnraisable`: hands `args` to the hook set by `set_unraisablehook`, or, with
    /// the default hook, prints CPython's text: `"{err_msg}: {object}"` then `exc`. (CPython
    /// prints the traceback between them; our finalizers have no Python frames.)
    pub fn write_unraisable(&mut self, args: UnraisableHookArgs) {
        // ANCHOR_END: write_unraisable
        // TODO: call the hook if one is set; otherwise print the two lines of the default hook
        todo!("write_unraisable: PyErr_WriteUnraisable")
    }

    // ANCHOR: call_finalizer
    /// `PyObject_CallFinalizer`: if `op` has a finalizer that has not run yet, run it
    /// (`tp_finalize`), then set FINALIZED. At most once per object, ever.
    pub fn call_finalizer(&mut self, op: ObjId) {
        // ANCHOR_END: call_finalizer
        // TODO: return if op has no finalizer or is FINALIZED; else self.tp_finalize(op) and set FINALIZED
        todo!("call_finalizer: PyObject_CallFinalizer, at most once")
    }

    /// `PyObject_CallFinalizerFromDealloc`, the refcount path: `op`'s count just reached 0.
    /// Set it to 1 (a temporary resurrection, so the finalizer can use the object), call the
    /// finalizer, set it back down by 1 (not with `decref`: that would deallocate again).
    /// Returns `true` if the object was resurrected (its count is still above 0): the
    /// deallocation must stop.
    // ANCHOR: call_finalizer_from_dealloc
    pub fn call_finalizer_from_dealloc(&mut self, op: ObjId) -> bool {
        // ANCHOR_END: call_finalizer_from_dealloc
        // TODO: refcnt 0 -> 1, call_finalizer, refcnt -= 1 by hand; resurrected if still above 0
        todo!("call_finalizer_from_dealloc: PyObject_CallFinalizerFromDealloc")
    }

    // ANCHOR: finalize_garbage
    /// `finalize_garbage` (PEP 442), the GC path. Repeatedly move the first object of
    /// `collectable` to `ListId::SEEN` (start it empty); if it has a finalizer and is not
    /// FINALIZED, set FINALIZED **first**, then incref, `tp_finalize`, decref. At the end,
    /// merge `SEEN` back into `collectable`: the order is unchanged.
    pub fn finalize_garbage(&mut self, collectable: ListId) {
        // ANCHOR_END: finalize_garbage
        // TODO: move each first object to SEEN; if it needs finalizing: set FINALIZED, incref, tp_finalize, decref; merge SEEN back
        todo!("finalize_garbage: PEP 442, FINALIZED before the call")
    }

    // ANCHOR: handle_resurrected_objects
    /// `handle_resurrected_objects` (3.9+): clear COLLECTING on every object of `unreachable`,
    /// run `deduce_unreachable(unreachable, still_unreachable)` again, clear the UNREACHABLE
    /// flags of `still_unreachable` (`clear_unreachable_mask`), and merge what stayed in
    /// `unreachable` (the resurrected objects and all they reach) into `old`.
    pub fn handle_resurrected_objects(
        &mut self,
        unreachable: ListId,
        still_unreachable: ListId,
        old: ListId,
    ) {
        // ANCHOR_END: handle_resurrected_objects
        // TODO: clear COLLECTING on unreachable, deduce_unreachable again, clear_unreachable_mask, merge the rest into old
        todo!("handle_resurrected_objects: recompute reachability (3.9+)")
    }

    // ANCHOR: move_legacy_finalizers
    /// `move_legacy_finalizers`: move every object of `unreachable` whose type has a legacy
    /// `tp_del` to `finalizers`, clearing its COLLECTING flag (it will not be collected).
    pub fn move_legacy_finalizers(&mut self, unreachable: ListId, finalizers: ListId) {
        // ANCHOR_END: move_legacy_finalizers
        // TODO: walk unreachable (read next first): legacy_del objects lose COLLECTING and move to finalizers
        todo!("move_legacy_finalizers")
    }

    // ANCHOR: visit_move
    /// `visit_move`: if `op` is still COLLECTING (unreachable), move it to `tolist` and clear
    /// COLLECTING.
    pub fn visit_move(&mut self, op: ObjId, tolist: ListId) {
        // ANCHOR_END: visit_move
        // TODO: if op is COLLECTING: move it to tolist and clear COLLECTING
        todo!("visit_move")
    }

    // ANCHOR: move_legacy_finalizer_reachable
    /// `move_legacy_finalizer_reachable`: traverse every object on `finalizers` with
    /// `visit_move(_, finalizers)`, including the ones appended while you walk: everything an
    /// uncollectable object reaches is uncollectable too.
    pub fn move_legacy_finalizer_reachable(&mut self, finalizers: ListId) {
        // ANCHOR_END: move_legacy_finalizer_reachable
        // TODO: walk finalizers (it grows while you walk) and traverse each with visit_move
        todo!("move_legacy_finalizer_reachable")
    }

    // ANCHOR: handle_legacy_finalizers
    /// `handle_legacy_finalizers`: append to `gc.garbage` (with a new reference each) the
    /// objects of `finalizers` that have a legacy `tp_del`, in list order; then merge
    /// `finalizers` into `old`.
    pub fn handle_legacy_finalizers(&mut self, finalizers: ListId, old: ListId) {
        // ANCHOR_END: handle_legacy_finalizers
        // TODO: incref and push to self.garbage every legacy_del object of finalizers; then merge finalizers into old
        todo!("handle_legacy_finalizers: gc.garbage")
    }
}
// ANCHOR_END: api
