//! The object model of the collector chapters (given code: you read it, you do not edit it).
//!
//! A [`GcHeap`] holds container objects the way CPython's GC sees them: each has a reference
//! count (`ob_refcnt`), the references it holds (what its `tp_traverse` visits), and a
//! [`GcHead`] (CPython's `PyGC_Head`) linking it into one gc list. Handles ([`ObjId`]) are
//! indices, never reused, so a stale handle is detected instead of finding another object.
//!
//! The chapters add behaviour to `GcHeap` in their own files: `cycles.rs` (gc lists and the
//! unreachable set), `weakref.rs`, `finalize.rs` and `generations.rs`. All the state they need
//! is declared here, so that each chapter's file holds only that chapter's code. What happens
//! when a count reaches zero (`subtype_dealloc`) is in `cycles/dealloc.rs`.

use crate::finalize::{Finalizer, UnraisableHook};
use crate::generations::{GcCallback, GenStats};
use crate::weakref::WeakRefData;

use super::gc_head::{GcHead, Heads, ListId, NUM_GENERATIONS, Node, ObjId};
use super::host::Host;

/// One object (the `PyObject` behind a `PyGC_Head`): the fields a collection reads for every
/// object. The rest is in [`ObjInfo`], apart, so that a collection touches less memory.
#[derive(Debug, Default)]
pub(crate) struct Obj {
    /// `ob_refcnt`.
    pub(crate) refcnt: u32,
    /// Not yet deallocated.
    pub(crate) alive: bool,
    /// Its [`ObjInfo`] may have been changed since it was made: set by every
    /// [`GcHeap::info_mut`]. Only these objects can have a finalizer, a legacy `tp_del` or weak
    /// references, so a collection reads the large, cold `ObjInfo` of these alone.
    pub(crate) special: bool,
    /// The strong references it holds, in the order `tp_traverse` visits them.
    pub(crate) refs: Vec<ObjId>,
}

/// The rest of an object: what its type does, and its name.
#[derive(Debug, Default)]
pub(crate) struct ObjInfo {
    /// Its type has a legacy `tp_del` (chapter 7).
    pub(crate) legacy_del: bool,
    /// What its `__del__` does, if its class has one: `tp_finalize` (chapter 7).
    pub(crate) finalizer: Finalizer,
    /// The weak references to it, in CPython's `tp_weaklist` order (chapter 6).
    pub(crate) weaklist: Vec<ObjId>,
    /// `Some` if this object *is* a weak reference (chapter 6).
    pub(crate) weakref: Option<Box<WeakRefData>>,
    /// A label for logs and test output.
    pub(crate) name: Box<str>,
    /// A runtime object ([`GcHeap::new_object`]): its type's slots are the heap's host.
    pub(crate) host: bool,
    /// A runtime object of a GC type (chapter objects always are).
    pub(crate) is_gc: bool,
    /// A runtime object's fields (see `cycles/host.rs`).
    pub(crate) payload: Option<Box<dyn std::any::Any>>,
}

/// The count and threshold of one generation (`struct gc_generation`; its list head is
/// `gc[ListId::generation(i)]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Generation {
    pub(crate) threshold: usize,
    pub(crate) count: usize,
}

/// A heap of GC-tracked objects and the collector's state (`GCState` in gcmodule.c).
///
/// Misuse (a handle of a dead object, a decref below zero) panics: the `refcount` exercise
/// taught those checks; here they would only hide the collector.
pub struct GcHeap {
    /// Every `PyGC_Head`.
    pub(crate) gc: Heads,
    /// Every object ever allocated, by [`ObjId::index`]: [`GcHeap::obj`].
    pub(crate) objs: Vec<Obj>,
    /// The rest of every object, by [`ObjId::index`]: [`GcHeap::info`].
    pub(crate) infos: Vec<ObjInfo>,
    /// The three generations (chapter 13).
    pub(crate) generations: [Generation; NUM_GENERATIONS],
    /// Automatic collection on allocation (`gcstate->enabled`). Off in a new heap (chapter 13).
    pub(crate) enabled: bool,
    /// A collection is running (`gcstate->collecting`).
    pub(crate) collecting: bool,
    /// `gc.set_debug` flags (chapter 13).
    pub(crate) debug: u32,
    /// Objects in generation 2 after the last full collection (chapter 13).
    pub(crate) long_lived_total: usize,
    /// Objects promoted into generation 2 since then (chapter 13).
    pub(crate) long_lived_pending: usize,
    /// `gc.get_stats()` (chapter 13).
    pub(crate) stats: [GenStats; NUM_GENERATIONS],
    /// `gc.callbacks` (chapter 13).
    pub(crate) callbacks: Vec<GcCallback>,
    /// `gc.garbage`: uncollectable objects, each holding one reference (chapter 7).
    pub(crate) garbage: Vec<ObjId>,
    /// `sys.unraisablehook`, or `None` for the default hook (chapter 7).
    pub(crate) unraisablehook: Option<UnraisableHook>,
    /// What the program printed (stdout and stderr together), one line per entry.
    pub(crate) log: Vec<String>,
    /// The type slots of runtime objects (Part V; `cycles/host.rs`).
    pub(crate) host: Option<&'static dyn Host>,
    /// The runtime's own state (Part V).
    pub(crate) state: Option<Box<dyn std::any::Any>>,
    /// Handles of freed runtime objects, to reuse.
    pub(crate) free_ids: Vec<u32>,
    /// A buffer for [`GcHeap::traverse`] of runtime objects.
    pub(crate) scratch: Vec<ObjId>,
}

impl Default for GcHeap {
    fn default() -> Self {
        Self::new()
    }
}

impl GcHeap {
    /// An empty heap with CPython's default thresholds (700, 10, 10), but automatic collection
    /// **disabled**, as after `gc.disable()`: chapters 5 to 7 see only the collections they ask
    /// for. Chapter 13's `enable` turns it on.
    pub fn new() -> Self {
        let mut heap = GcHeap {
            gc: Heads(vec![GcHead::unlinked(); ListId::COUNT]),
            objs: Vec::new(),
            infos: Vec::new(),
            generations: [
                Generation {
                    threshold: 700,
                    count: 0,
                },
                Generation {
                    threshold: 10,
                    count: 0,
                },
                Generation {
                    threshold: 10,
                    count: 0,
                },
            ],
            enabled: false,
            collecting: false,
            debug: 0,
            long_lived_total: 0,
            long_lived_pending: 0,
            stats: [GenStats::default(); NUM_GENERATIONS],
            callbacks: Vec::new(),
            garbage: Vec::new(),
            unraisablehook: None,
            log: Vec::new(),
            host: None,
            state: None,
            free_ids: Vec::new(),
            scratch: Vec::new(),
        };
        // Every list starts empty: its head points at itself (gc_list_init, inlined here so
        // that a new heap works before the `cycles` exercise is written).
        for i in 0..ListId::COUNT {
            let head = ListId(i as u32).node();
            heap.gc[head].next = head;
            heap.gc[head].prev = head;
        }
        heap
    }

    /// Allocates a new object called `name` and tracks it in generation 0; the caller owns the
    /// one reference (refcount 1), like the result of a constructor.
    ///
    /// This is `gc_alloc` + `_PyObject_GC_Link` + `_PyObject_GC_TRACK`. The link step counts the
    /// allocation in generation 0 and, if the count passes threshold 0 and automatic collection
    /// is enabled, collects **before** the new object is tracked (3.11 timing, chapter 13).
    pub fn alloc(&mut self, name: &str) -> ObjId {
        let id = u32::try_from(self.objs.len())
            .ok()
            .filter(|&i| i < u32::MAX - ListId::COUNT as u32)
            .expect("a heap holds fewer than 2^32 objects");
        let op = ObjId(id);
        self.objs.push(Obj {
            refcnt: 1,
            alive: true,
            special: false,
            refs: Vec::new(),
        });
        self.infos.push(ObjInfo {
            name: name.into(),
            ..ObjInfo::default()
        });
        self.gc.0.push(GcHead::unlinked());
        // _PyObject_GC_Link
        let gen0 = &mut self.generations[0];
        gen0.count += 1;
        if gen0.count > gen0.threshold && self.enabled && gen0.threshold != 0 && !self.collecting {
            self.collecting = true;
            self.collect_generations();
            self.collecting = false;
        }
        self.track(op);
        op
    }

    /// `_PyObject_GC_TRACK`: appends `op` to generation 0.
    pub fn track(&mut self, op: ObjId) {
        debug_assert!(!self.is_tracked(op));
        self.gc_list_append(op, ListId::GEN0);
    }

    /// `PyObject_GC_UnTrack`: takes `op` off its gc list, if it is on one. An untracked object
    /// is invisible to the collector (CPython untracks, for example, tuples of atomic values).
    pub fn untrack(&mut self, op: ObjId) {
        if self.is_tracked(op) {
            self.gc_list_remove(op);
        }
    }

    /// Is `op` on a gc list (`gc.is_tracked`)?
    pub fn is_tracked(&self, op: ObjId) -> bool {
        self.gc[op].next != Node::NONE
    }

    /// `Py_INCREF`: the program stores one more reference to `op` (a variable, a global).
    pub fn incref(&mut self, op: ObjId) {
        let o = self.obj_mut(op);
        o.refcnt += 1;
    }

    /// `Py_DECREF`: drops one reference; at zero the object is deallocated, which drops the
    /// references it held, and so on (without recursion).
    pub fn decref(&mut self, op: ObjId) {
        let o = self.obj_mut(op);
        assert!(o.refcnt > 0, "decref below zero");
        o.refcnt -= 1;
        if o.refcnt == 0 {
            self.dealloc(op);
        }
    }

    /// `from.attr = to`: `from` stores a strong reference to `to` (one more count on `to`).
    pub fn link(&mut self, from: ObjId, to: ObjId) {
        self.incref(to);
        self.obj_mut(from).refs.push(to);
    }

    /// `del from.attr`: `from` drops one reference to `to` (the first it holds).
    pub fn unlink(&mut self, from: ObjId, to: ObjId) {
        let refs = &mut self.obj_mut(from).refs;
        let at = refs
            .iter()
            .position(|&r| r == to)
            .expect("unlink: `from` holds no reference to `to`");
        refs.remove(at);
        self.decref(to);
    }

    /// The reference count of `op` (`sys.getrefcount(op) - 1`).
    pub fn refcnt(&self, op: ObjId) -> usize {
        self.obj(op).refcnt as usize
    }

    /// The references `op` holds (`gc.get_referents`), in traversal order.
    pub fn referents(&self, op: ObjId) -> &[ObjId] {
        &self.obj(op).refs
    }

    /// Has `op` not been deallocated yet?
    pub fn is_alive(&self, op: ObjId) -> bool {
        self.objs.get(op.index()).is_some_and(|o| o.alive)
    }

    /// The name `op` was allocated with (also after it died).
    pub fn name(&self, op: ObjId) -> &str {
        &self.infos[op.index()].name
    }

    /// Every object ever allocated, dead or alive, in allocation order.
    pub fn objects(&self) -> impl Iterator<Item = ObjId> + use<> {
        (0..self.objs.len() as u32).map(ObjId)
    }

    /// A copy of `op`'s gc head (to look at gc_refs and flags in tests).
    pub fn head(&self, op: ObjId) -> GcHead {
        self.gc[op]
    }

    /// The objects on `list`, first to last, following `next` links. Panics if the links do not
    /// lead back to the head (a broken ring) or if a `prev` link disagrees.
    pub fn list_ids(&self, list: ListId) -> Vec<ObjId> {
        let head = list.node();
        let mut out = Vec::new();
        let mut prev = head;
        let mut node = self.gc[head].next;
        while node != head {
            assert!(
                node != Node::NONE && out.len() <= self.objs.len(),
                "list {list:?} is not a ring: follow `next` from its head and you never return"
            );
            assert_eq!(
                self.gc[node].prev, prev,
                "list {list:?}: `prev` of {:?} is not the node before it",
                node
            );
            out.push(node.obj());
            prev = node;
            node = self.gc[node].next;
        }
        assert_eq!(
            self.gc[head].prev, prev,
            "list {list:?}: head's `prev` is not the last node"
        );
        out
    }

    /// The names of the objects on `list`, space-separated (`"a b c"`).
    pub fn list_names(&self, list: ListId) -> String {
        let names: Vec<&str> = self
            .list_ids(list)
            .into_iter()
            .map(|op| self.name(op))
            .collect();
        names.join(" ")
    }

    /// Every generation and the permanent generation, one line each (`gen0: a b`).
    pub fn describe_generations(&self) -> String {
        let mut out = String::new();
        for (label, list) in [
            ("gen0", ListId::GEN0),
            ("gen1", ListId::GEN1),
            ("gen2", ListId::GEN2),
            ("permanent", ListId::PERMANENT),
        ] {
            let names = self.list_names(list);
            let sep = if names.is_empty() { "" } else { " " };
            out.push_str(&format!("{label}:{sep}{names}\n"));
        }
        out
    }

    /// Takes what the program printed so far, one line per entry.
    pub fn take_log(&mut self) -> Vec<String> {
        std::mem::take(&mut self.log)
    }

    /// Prints one line (to the log that [`GcHeap::take_log`] returns).
    pub(crate) fn print(&mut self, line: String) {
        if let Some(host) = self.host {
            host.write_line(self, &line);
            return;
        }
        self.log.push(line);
    }

    /// The refcount, references and liveness of `op` (panics if it was deallocated).
    #[track_caller]
    pub(crate) fn obj(&self, op: ObjId) -> &Obj {
        let o = &self.objs[op.index()];
        assert!(o.alive, "{} was already deallocated", self.name(op));
        o
    }

    /// [`GcHeap::obj`], to change.
    #[track_caller]
    pub(crate) fn obj_mut(&mut self, op: ObjId) -> &mut Obj {
        let o = &mut self.objs[op.index()];
        assert!(
            o.alive,
            "{} was already deallocated",
            self.infos[op.index()].name
        );
        o
    }

    /// The type behaviour (finalizer, legacy `tp_del`) and weak references of `op`.
    pub(crate) fn info(&self, op: ObjId) -> &ObjInfo {
        &self.infos[op.index()]
    }

    /// [`GcHeap::info`], to change (which marks `op` as [`Obj::special`]).
    pub(crate) fn info_mut(&mut self, op: ObjId) -> &mut ObjInfo {
        self.objs[op.index()].special = true;
        &mut self.infos[op.index()]
    }

    /// `tp_traverse`: calls `visit(self, referent)` for every reference `op` holds, in order
    /// (CPython passes the visitor's extra argument through `void *arg`; a closure captures it).
    /// A weak reference is not a strong reference: it is not visited.
    /// A runtime object's references come from its host's `tp_traverse` (`cycles/host.rs`).
    pub fn traverse(&mut self, op: ObjId, visit: impl Fn(&mut GcHeap, ObjId)) {
        if let Some(host) = self.host_of(op) {
            let mut refs = std::mem::take(&mut self.scratch);
            host.tp_traverse(self, op, &mut refs);
            for &r in &refs {
                visit(self, r);
            }
            refs.clear();
            self.scratch = refs;
            return;
        }
        let mut i = 0;
        // Index, don't iterate: `visit` needs `&mut self`, and traversal never adds references.
        while let Some(&r) = self.objs[op.index()].refs.get(i) {
            visit(self, r);
            i += 1;
        }
    }

    /// `tp_clear`: drops every strong reference `op` holds, to break a cycle. On a weak
    /// reference, also clears it and drops its callback (`gc_clear` in weakrefobject.c).
    pub fn tp_clear(&mut self, op: ObjId) {
        if self.info(op).weakref.is_some() {
            self.clear_weakref(op);
            self.info_mut(op).weakref = None;
        }
        if let Some(host) = self.host_of(op) {
            host.tp_clear(self, op);
            return;
        }
        let refs = std::mem::take(&mut self.obj_mut(op).refs);
        for r in refs {
            self.decref(r);
        }
    }
}
