//! The graph shapes, built in our [`GcHeap`] exactly as `cpython.py` builds them in CPython:
//! the same objects, the same references, the same objects tracked or not.
//!
//! Every builder returns the heap and the one object the program holds (its variable), after a
//! first full collection: everything built is then in generation 2, as in CPython after
//! `gc.collect()`.

use collector::cycles::{GcHeap, ObjId};

/// What a builder made: the heap, the program's one reference, and how many tracked objects a
/// collection examines, or finds once the program drops its reference (what "ns per object"
/// divides by).
pub struct Built {
    pub heap: GcHeap,
    pub root: ObjId,
    pub tracked: usize,
}

/// A new object referenced only by `parent` (`parent.append(X())`).
fn child(heap: &mut GcHeap, parent: ObjId) -> ObjId {
    let op = heap.alloc("");
    heap.link(parent, op);
    heap.decref(op);
    op
}

/// A new object the collector does not track (an int in a list), referenced only by `parent`.
fn atom(heap: &mut GcHeap, parent: ObjId) {
    let op = child(heap, parent);
    heap.untrack(op);
}

/// Moves everything to generation 2 (nothing is garbage yet).
fn settle(mut heap: GcHeap, root: ObjId, tracked: usize) -> Built {
    assert_eq!(heap.collect(2), Ok(0));
    Built {
        heap,
        root,
        tracked,
    }
}

/// A ring of `n` objects, each referencing the next; the program holds the first.
pub fn ring(n: usize) -> Built {
    let mut heap = GcHeap::new();
    let ids: Vec<ObjId> = (0..n).map(|_| heap.alloc("")).collect();
    for i in 0..n {
        heap.link(ids[i], ids[(i + 1) % n]);
    }
    for &op in &ids[1..] {
        heap.decref(op);
    }
    settle(heap, ids[0], n)
}

/// `n / 2` two-object cycles; the program holds a list holding one object of each.
pub fn pairs(n: usize) -> Built {
    let mut heap = GcHeap::new();
    let holder = heap.alloc("");
    add_pairs(&mut heap, Some(holder), n / 2);
    // The holder itself is freed by its count when dropped: the collector finds the pairs.
    settle(heap, holder, n / 2 * 2)
}

/// `count` two-object cycles `a <-> b`, `a` held by `holder` or, without one, garbage at once.
fn add_pairs(heap: &mut GcHeap, holder: Option<ObjId>, count: usize) {
    for _ in 0..count {
        let a = heap.alloc("");
        let b = child(heap, a);
        heap.link(b, a);
        if let Some(holder) = holder {
            heap.link(holder, a);
        }
        heap.decref(a);
    }
}

/// A complete binary tree of the given depth (`2^depth - 1` objects); the program holds its root.
pub fn tree(depth: u32) -> Built {
    fn grow(heap: &mut GcHeap, node: ObjId, depth: u32) {
        if depth > 1 {
            for _ in 0..2 {
                let c = child(heap, node);
                grow(heap, c, depth - 1);
            }
        }
    }
    let mut heap = GcHeap::new();
    let root = heap.alloc("");
    grow(&mut heap, root, depth);
    settle(heap, root, (1 << depth) - 1)
}

/// The deepest complete binary tree of at most `n` objects.
pub fn depth_for(n: usize) -> u32 {
    let mut depth = 1;
    while (1usize << (depth + 1)) - 1 <= n {
        depth += 1;
    }
    depth
}

/// One dict of `n / 10` lists of 9 ints: the dict and the lists are tracked, the ints (and the
/// dict's int keys) are not.
pub fn dict_of_lists(n: usize) -> Built {
    let mut heap = GcHeap::new();
    let dict = heap.alloc("");
    for _ in 0..n / 10 {
        atom(&mut heap, dict);
        let list = child(&mut heap, dict);
        for _ in 0..9 {
            atom(&mut heap, list);
        }
    }
    settle(heap, dict, n / 10 + 1)
}

/// pyperformance's `gc_collect` analogue: cycles of 20 nodes, each node holding a list of its
/// edges (one, to the next node): 40 tracked objects per cycle. The program holds a list
/// holding one node of each cycle.
pub fn linked_cycles(n: usize) -> Built {
    const LINKS: usize = 20;
    let mut heap = GcHeap::new();
    let holder = heap.alloc("");
    for _ in 0..n / (2 * LINKS) {
        let nodes: Vec<ObjId> = (0..LINKS).map(|_| heap.alloc("")).collect();
        for i in 0..LINKS {
            let edges = child(&mut heap, nodes[i]);
            heap.link(edges, nodes[(i + 1) % LINKS]);
        }
        heap.link(holder, nodes[0]);
        for op in nodes {
            heap.decref(op);
        }
    }
    settle(heap, holder, n / (2 * LINKS) * 2 * LINKS)
}

/// pyperformance's `gc_traversal` analogue: `n` lists nested 10 wide (lists of lists), live.
pub fn nested_lists(n: usize) -> Built {
    const FANOUT: usize = 10;
    let mut heap = GcHeap::new();
    let root = heap.alloc("");
    let (mut level, mut made) = (vec![root], 1);
    while made < n {
        let mut next = Vec::new();
        'parents: for parent in level {
            for _ in 0..FANOUT {
                if made >= n {
                    break 'parents;
                }
                next.push(child(&mut heap, parent));
                made += 1;
            }
        }
        level = next;
    }
    settle(heap, root, n)
}

/// A heap whose generation 2 holds a live ring of `old` objects (none if 0), ready for
/// [`young_pairs`].
pub fn old_generation(old: usize) -> GcHeap {
    if old == 0 {
        return GcHeap::new();
    }
    // The ring stays referenced by the program: its root is never decref'd.
    ring(old).heap
}

/// `count` objects of cyclic garbage (two-object cycles) in generation 0.
pub fn young_pairs(heap: &mut GcHeap, count: usize) {
    add_pairs(heap, None, count / 2);
}
