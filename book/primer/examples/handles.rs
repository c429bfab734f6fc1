//! Handles as indices: objects that refer to each other by number, not by reference.
//!
//! Run it: `cargo run -p primer --example handles`

use std::ops::{Index, IndexMut};

// ANCHOR: handle
/// An object's identity: its position in the heap's `Vec`, like `id()` in CPython. It is
/// `Copy` and borrows nothing, so it can be stored anywhere, even inside another object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObjId(u32);

impl ObjId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

pub struct Obj {
    pub name: String,
    pub refcnt: usize,
    /// The edges of the object graph: handles, never `&Obj`.
    pub references: Vec<ObjId>,
}

#[derive(Default)]
pub struct Heap {
    /// Every object ever allocated, at its handle's index; `None` once freed.
    objs: Vec<Option<Obj>>,
}
// ANCHOR_END: handle

// ANCHOR: heap
impl Heap {
    pub fn alloc(&mut self, name: &str) -> ObjId {
        let id = ObjId(self.objs.len() as u32);
        let obj = Obj {
            name: name.to_string(),
            refcnt: 1,
            references: Vec::new(),
        };
        self.objs.push(Some(obj));
        id
    }

    /// The live object, or `None` for a freed (stale) or unknown handle.
    pub fn get(&self, op: ObjId) -> Option<&Obj> {
        self.objs.get(op.index()).and_then(Option::as_ref)
    }

    pub fn free(&mut self, op: ObjId) {
        self.objs[op.index()] = None;
    }

    /// `from` now refers to `to`: two short borrows, one after the other.
    pub fn link(&mut self, from: ObjId, to: ObjId) {
        self[from].references.push(to);
        self[to].refcnt += 1;
    }
}

/// `heap[op]` for a live object (panics on a freed one), as `self.gc[op]` in the collector.
impl Index<ObjId> for Heap {
    type Output = Obj;
    fn index(&self, op: ObjId) -> &Obj {
        self.get(op).expect("a live object")
    }
}

impl IndexMut<ObjId> for Heap {
    fn index_mut(&mut self, op: ObjId) -> &mut Obj {
        self.objs[op.index()].as_mut().expect("a live object")
    }
}
// ANCHOR_END: heap

// ANCHOR: run
pub fn run() -> String {
    let mut heap = Heap::default();
    let a = heap.alloc("a");
    let b = heap.alloc("b");
    heap.link(a, b);
    heap.link(b, a); // a cycle: easy, since an edge is only a number
    let mut out = String::new();
    for op in [a, b] {
        let obj = &heap[op];
        out += &format!(
            "{op:?} '{}' refcnt={} -> {:?}\n",
            obj.name, obj.refcnt, obj.references
        );
    }
    heap.free(b);
    let stale = heap.get(b).map(|obj| obj.name.as_str());
    out += &format!(
        "after free(b): get(b) = {stale:?}, a still holds {:?}\n",
        heap[a].references
    );
    out
}
// ANCHOR_END: run

fn main() {
    print!("{}", run());
}
