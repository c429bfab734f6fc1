//! `PyGC_Head` by index: object handles, list heads, and the heads array (given code).
//!
//! CPython links every tracked object into a gc list through the 16-byte `PyGC_Head` placed
//! just before the object (`Include/internal/pycore_gc.h`). Here the heads live in one array
//! ([`Heads`]): the list heads first, then one per object, so a link is an index ([`Node`]).

use std::ops::{Index, IndexMut};

/// The number of generations (`NUM_GENERATIONS` in gcmodule.c).
pub const NUM_GENERATIONS: usize = 3;

/// An object's identity, like its address in CPython. Handles are numbered in allocation order
/// and never reused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjId(pub(crate) u32);

/// One of the heap's gc lists, named by its sentinel head (a `PyGC_Head` that belongs to no
/// object). CPython keeps the generation heads in `GCState` and declares the temporary lists
/// (`unreachable`, `finalizers`, ...) as locals of `gc_collect_main`; we give every list a
/// fixed head.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ListId(pub(crate) u32);

/// The index of a `PyGC_Head`: a list head ([`ListId::node`]) or an object's head
/// ([`ObjId::node`]). `next`/`prev` links hold nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Node(pub(crate) u32);

// ANCHOR: model
/// `PyGC_Head`, plus the bits CPython hides in its low pointer bits.
///
/// CPython packs the gc_refs count and the FINALIZED/COLLECTING flags into `_gc_prev`, and the
/// UNREACHABLE flag into `_gc_next` (`Include/internal/pycore_gc.h`), so that during a
/// collection `_gc_prev` is not a pointer and the lists are singly linked. We spend a few more
/// bytes and keep separate fields: `prev` stays valid all the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GcHead {
    /// The next node in the list; [`Node::NONE`] when the object is untracked (CPython: 0).
    pub next: Node,
    /// The previous node in the list.
    pub prev: Node,
    /// During a collection: the references to this object not yet explained by the objects
    /// being collected (CPython: `_gc_prev >> _PyGC_PREV_SHIFT`).
    pub gc_refs: u32,
    /// [`GcHead::FINALIZED`] | [`GcHead::COLLECTING`] | [`GcHead::UNREACHABLE`].
    pub flags: u8,
}

impl GcHead {
    /// `_PyGC_PREV_MASK_FINALIZED`: `tp_finalize` already ran (it never runs twice).
    pub const FINALIZED: u8 = 1;
    /// `_PyGC_PREV_MASK_COLLECTING`: in the generation being collected; cleared once an object
    /// is known reachable, so at the end only the unreachable objects carry it.
    pub const COLLECTING: u8 = 2;
    /// `NEXT_MASK_UNREACHABLE`: `move_unreachable` has (tentatively) moved it to `unreachable`.
    pub const UNREACHABLE: u8 = 4;

    /// A head on no list.
    pub(crate) const fn unlinked() -> Self {
        GcHead {
            next: Node::NONE,
            prev: Node::NONE,
            gc_refs: 0,
            flags: 0,
        }
    }
}
// ANCHOR_END: model

impl ObjId {
    /// `AS_GC(op)`: the node of this object's `PyGC_Head`.
    pub fn node(self) -> Node {
        Node(self.0 + ListId::COUNT as u32)
    }

    /// Position in allocation order (0, 1, 2, ...).
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl ListId {
    /// Generation 0, the youngest: new objects are tracked here.
    pub const GEN0: ListId = ListId(0);
    /// Generation 1.
    pub const GEN1: ListId = ListId(1);
    /// Generation 2, the oldest.
    pub const GEN2: ListId = ListId(2);
    /// `permanent_generation`: objects hidden from the collector by `gc.freeze()`.
    pub const PERMANENT: ListId = ListId(3);
    /// `gc_collect_main`'s `unreachable`.
    pub const UNREACHABLE: ListId = ListId(4);
    /// `gc_collect_main`'s `finalizers` (legacy `tp_del` objects and what they reach).
    pub const FINALIZERS: ListId = ListId(5);
    /// `handle_weakrefs`'s `wrcb_to_call`.
    pub const WRCB_TO_CALL: ListId = ListId(6);
    /// `gc_collect_main`'s `final_unreachable`.
    pub const FINAL_UNREACHABLE: ListId = ListId(7);
    /// `finalize_garbage`'s `seen`.
    pub const SEEN: ListId = ListId(8);
    /// How many list heads there are; object heads come after them.
    pub const COUNT: usize = 9;

    /// The list of generation `generation` (`GEN_HEAD(gcstate, generation)`).
    pub fn generation(generation: usize) -> ListId {
        assert!(generation < NUM_GENERATIONS, "no generation {generation}");
        ListId(generation as u32)
    }

    /// The node of this list's sentinel head.
    pub fn node(self) -> Node {
        Node(self.0)
    }
}

impl Node {
    /// "No node": the `next` of an untracked object.
    pub const NONE: Node = Node(u32::MAX);

    /// `FROM_GC(gc)`: the object whose head this is. Panics on a list head (and the panic
    /// names the line of your code that asked, thanks to `#[track_caller]`).
    #[track_caller]
    pub fn obj(self) -> ObjId {
        assert!(
            self.0 as usize >= ListId::COUNT && self != Node::NONE,
            "node {} is a list head, not an object",
            self.0
        );
        ObjId(self.0 - ListId::COUNT as u32)
    }
}

/// All the `PyGC_Head`s: list heads first, then one per object. Index it with a [`Node`], an
/// [`ObjId`] or a [`ListId`]: `self.gc[op].gc_refs`, `self.gc[list].next`.
#[derive(Debug, Default)]
pub struct Heads(pub(crate) Vec<GcHead>);

impl Index<Node> for Heads {
    type Output = GcHead;
    fn index(&self, node: Node) -> &GcHead {
        &self.0[node.0 as usize]
    }
}
impl IndexMut<Node> for Heads {
    fn index_mut(&mut self, node: Node) -> &mut GcHead {
        &mut self.0[node.0 as usize]
    }
}
impl Index<ObjId> for Heads {
    type Output = GcHead;
    fn index(&self, op: ObjId) -> &GcHead {
        &self[op.node()]
    }
}
impl IndexMut<ObjId> for Heads {
    fn index_mut(&mut self, op: ObjId) -> &mut GcHead {
        &mut self[op.node()]
    }
}
impl Index<ListId> for Heads {
    type Output = GcHead;
    fn index(&self, list: ListId) -> &GcHead {
        &self[list.node()]
    }
}
impl IndexMut<ListId> for Heads {
    fn index_mut(&mut self, list: ListId) -> &mut GcHead {
        &mut self[list.node()]
    }
}
