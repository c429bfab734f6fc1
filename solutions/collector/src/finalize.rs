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
    /// `gc.is_finalized(op)`: has its finalizer already run (the FINALIZED flag)?
    pub fn is_finalized(&self, op: ObjId) -> bool {
        self.gc[op].flags & GcHead::FINALIZED != 0
    }

    /// `PyErr_WriteUnraisable`: hands `args` to the hook set by `set_unraisablehook`, or, with
    /// the default hook, prints CPython's text: `"{err_msg}: {object}"` then `exc`. (CPython
    /// prints the traceback between them; our finalizers have no Python frames.)
    pub fn write_unraisable(&mut self, args: UnraisableHookArgs) {
        if let Some(hook) = self.unraisablehook.as_mut() {
            hook(&args);
            return;
        }
        self.print(format!("{}: {}", args.err_msg, args.object));
        self.print(args.exc);
    }

    /// `PyObject_CallFinalizer`: if `op` has a finalizer that has not run yet, run it
    /// (`tp_finalize`), then set FINALIZED. At most once per object, ever.
    pub fn call_finalizer(&mut self, op: ObjId) {
        if self.info(op).finalizer == Finalizer::None || self.is_finalized(op) {
            return;
        }
        self.tp_finalize(op);
        self.gc[op].flags |= GcHead::FINALIZED;
    }

    /// `PyObject_CallFinalizerFromDealloc`, the refcount path: `op`'s count just reached 0.
    /// Set it to 1 (a temporary resurrection, so the finalizer can use the object), call the
    /// finalizer, set it back down by 1 (not with `decref`: that would deallocate again).
    /// Returns `true` if the object was resurrected (its count is still above 0): the
    /// deallocation must stop.
    pub fn call_finalizer_from_dealloc(&mut self, op: ObjId) -> bool {
        assert_eq!(self.obj(op).refcnt, 0, "only a dying object is finalized");
        self.obj_mut(op).refcnt = 1;
        self.call_finalizer(op);
        let o = self.obj_mut(op);
        o.refcnt -= 1;
        o.refcnt > 0
    }

    /// `finalize_garbage` (PEP 442), the GC path. Repeatedly move the first object of
    /// `collectable` to `ListId::SEEN` (start it empty); if it has a finalizer and is not
    /// FINALIZED, set FINALIZED **first**, then incref, `tp_finalize`, decref. At the end,
    /// merge `SEEN` back into `collectable`: the order is unchanged.
    pub fn finalize_garbage(&mut self, collectable: ListId) {
        let seen = ListId::SEEN;
        self.gc_list_init(seen);
        while !self.gc_list_is_empty(collectable) {
            let op = self.gc[collectable].next.obj();
            self.gc_list_move(op, seen);
            if self.info(op).finalizer != Finalizer::None && !self.is_finalized(op) {
                self.gc[op].flags |= GcHead::FINALIZED;
                self.incref(op);
                self.tp_finalize(op);
                self.decref(op);
            }
        }
        self.gc_list_merge(seen, collectable);
    }

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
        let head = unreachable.node();
        let mut gc = self.gc[head].next;
        while gc != head {
            self.gc[gc].flags &= !GcHead::COLLECTING;
            gc = self.gc[gc].next;
        }
        self.deduce_unreachable(unreachable, still_unreachable);
        self.clear_unreachable_mask(still_unreachable);
        self.gc_list_merge(unreachable, old);
    }

    /// `move_legacy_finalizers`: move every object of `unreachable` whose type has a legacy
    /// `tp_del` to `finalizers`, clearing its COLLECTING flag (it will not be collected).
    pub fn move_legacy_finalizers(&mut self, unreachable: ListId, finalizers: ListId) {
        let head = unreachable.node();
        let mut gc = self.gc[head].next;
        while gc != head {
            let next = self.gc[gc].next;
            let op = gc.obj();
            if self.info(op).legacy_del {
                self.gc[gc].flags &= !GcHead::COLLECTING;
                self.gc_list_move(op, finalizers);
            }
            gc = next;
        }
    }

    /// `visit_move`: if `op` is still COLLECTING (unreachable), move it to `tolist` and clear
    /// COLLECTING.
    pub fn visit_move(&mut self, op: ObjId, tolist: ListId) {
        if self.gc[op].flags & GcHead::COLLECTING != 0 {
            self.gc_list_move(op, tolist);
            self.gc[op].flags &= !GcHead::COLLECTING;
        }
    }

    /// `move_legacy_finalizer_reachable`: traverse every object on `finalizers` with
    /// `visit_move(_, finalizers)`, including the ones appended while you walk: everything an
    /// uncollectable object reaches is uncollectable too.
    pub fn move_legacy_finalizer_reachable(&mut self, finalizers: ListId) {
        let head = finalizers.node();
        let mut gc = self.gc[head].next;
        while gc != head {
            self.traverse(gc.obj(), |heap, r| heap.visit_move(r, finalizers));
            gc = self.gc[gc].next;
        }
    }

    /// `handle_legacy_finalizers`: append to `gc.garbage` (with a new reference each) the
    /// objects of `finalizers` that have a legacy `tp_del`, in list order; then merge
    /// `finalizers` into `old`.
    pub fn handle_legacy_finalizers(&mut self, finalizers: ListId, old: ListId) {
        let head = finalizers.node();
        let mut gc = self.gc[head].next;
        while gc != head {
            let op = gc.obj();
            if self.info(op).legacy_del {
                self.incref(op);
                self.garbage.push(op);
            }
            gc = self.gc[gc].next;
        }
        self.gc_list_merge(finalizers, old);
    }
}
// ANCHOR_END: api
