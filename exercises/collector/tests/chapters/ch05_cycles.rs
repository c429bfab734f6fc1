//! Chapter 5, "Cycles": gc lists and the unreachable set (`collector::cycles`).

use collector::cycles::{GcError, GcHead, GcHeap, ListId, ObjId};

use crate::ch04_refcount::deadline::{GENEROUS, within};

/// The scenario-file reader, shared by every chapter module of the collector (declared once).
#[path = "scenario.rs"]
pub(crate) mod scenario;

/// Allocates one object per name.
fn objects<const N: usize>(heap: &mut GcHeap, names: [&str; N]) -> [ObjId; N] {
    names.map(|name| heap.alloc(name))
}

/// One line per object: its refcount, gc_refs and flags.
fn gc_table(heap: &GcHeap, ids: &[ObjId]) -> String {
    let mut out = String::new();
    for &op in ids {
        let h = heap.head(op);
        let mut flags = Vec::new();
        for (bit, name) in [
            (GcHead::FINALIZED, "FINALIZED"),
            (GcHead::COLLECTING, "COLLECTING"),
            (GcHead::UNREACHABLE, "UNREACHABLE"),
        ] {
            if h.flags & bit != 0 {
                flags.push(name);
            }
        }
        let line = format!(
            "{:<3} refcnt={} gc_refs={} {}",
            heap.name(op),
            heap.refcnt(op),
            h.gc_refs,
            flags.join("|")
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn append_and_remove_keep_the_ring_doubly_linked() {
    let mut heap = GcHeap::new();
    let [a, b, c] = objects(&mut heap, ["a", "b", "c"]);
    // `list_ids` follows `next` and checks every `prev` on the way.
    assert_eq!(heap.list_ids(ListId::GEN0), [a, b, c]);
    heap.gc_list_remove(b);
    assert!(!heap.is_tracked(b), "a removed object is untracked");
    assert_eq!(heap.list_names(ListId::GEN0), "a c");
    heap.gc_list_append(b, ListId::GEN0);
    assert_eq!(heap.list_names(ListId::GEN0), "a c b");
    assert!(heap.is_tracked(b));
    assert_eq!(heap.gc_list_size(ListId::GEN0), 3);
}

#[test]
fn move_takes_an_object_to_the_end_of_another_list() {
    let mut heap = GcHeap::new();
    let [a, b, c] = objects(&mut heap, ["a", "b", "c"]);
    heap.gc_list_move(a, ListId::GEN2);
    heap.gc_list_move(c, ListId::GEN2);
    assert_eq!(heap.list_ids(ListId::GEN0), [b]);
    assert_eq!(heap.list_ids(ListId::GEN2), [a, c]);
    assert!(!heap.gc_list_is_empty(ListId::GEN2));
    assert!(heap.gc_list_is_empty(ListId::GEN1));
}

#[test]
fn merge_splices_a_whole_list_in_order_and_empties_the_source() {
    let mut heap = GcHeap::new();
    let [a, b, c, d] = objects(&mut heap, ["a", "b", "c", "d"]);
    heap.gc_list_move(c, ListId::GEN1);
    heap.gc_list_move(d, ListId::GEN1);
    heap.gc_list_merge(ListId::GEN0, ListId::GEN1);
    assert_eq!(heap.list_ids(ListId::GEN1), [c, d, a, b]);
    assert!(heap.gc_list_is_empty(ListId::GEN0));
    assert_eq!(heap.gc_list_size(ListId::GEN0), 0);
    // The emptied list is usable again.
    let e = heap.alloc("e");
    assert_eq!(heap.list_ids(ListId::GEN0), [e]);
}

#[test]
fn merge_takes_constant_time_whatever_the_lengths() {
    // 100 000 objects go back and forth between two lists 100 000 times. Splicing (four links
    // per merge) takes milliseconds; moving the objects one by one would take 10^10 steps.
    const N: usize = 100_000;
    let what = "gc_list_merge must be O(1): 100 000 merges of a 100 000-object list";
    within(GENEROUS, what, || {
        let mut heap = GcHeap::new();
        let ids: Vec<ObjId> = (0..N).map(|_| heap.alloc("")).collect();
        for _ in 0..N / 2 {
            heap.gc_list_merge(ListId::GEN0, ListId::GEN1);
            heap.gc_list_merge(ListId::GEN1, ListId::GEN0);
        }
        assert!(heap.gc_list_is_empty(ListId::GEN1));
        assert!(
            heap.list_ids(ListId::GEN0) == ids,
            "after an even number of merges every object is back, in its order"
        );
    });
}

#[test]
fn merging_an_empty_list_changes_nothing() {
    let mut heap = GcHeap::new();
    let [a, b] = objects(&mut heap, ["a", "b"]);
    heap.gc_list_merge(ListId::GEN1, ListId::GEN0);
    assert_eq!(heap.list_ids(ListId::GEN0), [a, b]);
    assert_eq!(heap.gc_list_size(ListId::GEN1), 0);
    heap.gc_list_merge(ListId::GEN0, ListId::GEN2);
    heap.gc_list_merge(ListId::GEN1, ListId::GEN2);
    assert_eq!(heap.list_ids(ListId::GEN2), [a, b]);
}

#[test]
fn update_refs_copies_refcounts_and_flags_collecting() {
    let mut heap = GcHeap::new();
    let [a, b, c] = objects(&mut heap, ["a", "b", "c"]);
    heap.link(a, b);
    heap.link(b, c);
    heap.link(c, a);
    heap.incref(b); // a second variable refers to b
    heap.update_refs(ListId::GEN0);
    insta::assert_snapshot!(gc_table(&heap, &[a, b, c]));
}

#[test]
fn subtract_refs_leaves_only_the_references_from_outside() {
    // a -> b -> c -> a, a variable refers to b, and c is referenced by an object `old` of
    // generation 2, which is not being collected: that reference counts as "from outside".
    let mut heap = GcHeap::new();
    let old = heap.alloc("old");
    heap.gc_list_move(old, ListId::GEN2);
    let [a, b, c] = objects(&mut heap, ["a", "b", "c"]);
    heap.link(a, b);
    heap.link(b, c);
    heap.link(c, a);
    heap.link(old, c);
    for op in [a, c] {
        heap.decref(op); // only b keeps its variable
    }
    heap.update_refs(ListId::GEN0);
    heap.subtract_refs(ListId::GEN0);
    insta::assert_snapshot!(gc_table(&heap, &[a, b, c, old]));
}

#[test]
fn move_unreachable_separates_the_cycle_nobody_refers_to() {
    // Two cycles: x <-> y is referenced by a variable, p <-> q is not.
    let mut heap = GcHeap::new();
    let [p, x, q, y] = objects(&mut heap, ["p", "x", "q", "y"]);
    heap.link(p, q);
    heap.link(q, p);
    heap.link(x, y);
    heap.link(y, x);
    for op in [p, q, y] {
        heap.decref(op);
    }
    heap.deduce_unreachable(ListId::GEN0, ListId::UNREACHABLE);
    let text = format!(
        "young: [{}]\nunreachable: [{}]\n{}",
        heap.list_names(ListId::GEN0),
        heap.list_names(ListId::UNREACHABLE),
        gc_table(&heap, &[p, x, q, y])
    );
    insta::assert_snapshot!(text);
}

#[test]
fn move_unreachable_reverses_a_chain_once_then_keeps_its_order() {
    // Created a, b, c; a variable refers to c, and c -> b -> a. The scan meets a and b first,
    // with gc_refs 0, and moves them to `unreachable`; traversing c moves b back, traversing b
    // moves a back: young ends as c b a. Scanned again, the order no longer changes (the
    // comment in CPython's deduce_unreachable, before its call to move_unreachable, explains
    // why that matters for speed).
    let mut heap = GcHeap::new();
    let [a, b, c] = objects(&mut heap, ["a", "b", "c"]);
    heap.link(c, b);
    heap.link(b, a);
    heap.decref(a);
    heap.decref(b);
    let mut text = format!("before:      [{}]\n", heap.list_names(ListId::GEN0));
    heap.deduce_unreachable(ListId::GEN0, ListId::UNREACHABLE);
    text += &format!("first scan:  [{}]\n", heap.list_names(ListId::GEN0));
    text += &format!("unreachable: [{}]\n", heap.list_names(ListId::UNREACHABLE));
    heap.deduce_unreachable(ListId::GEN0, ListId::UNREACHABLE);
    text += &format!("second scan: [{}]\n", heap.list_names(ListId::GEN0));
    insta::assert_snapshot!(text);
}

#[test]
fn collect_frees_a_two_node_cycle_and_returns_two() {
    let mut heap = GcHeap::new();
    let [a, b] = objects(&mut heap, ["a", "b"]);
    heap.link(a, b);
    heap.link(b, a);
    heap.decref(a);
    heap.decref(b);
    assert!(
        heap.is_alive(a) && heap.is_alive(b),
        "refcounting alone cannot free a cycle"
    );
    assert_eq!(heap.collect(0), Ok(2));
    assert!(!heap.is_alive(a) && !heap.is_alive(b));
    assert_eq!(heap.collect(2), Ok(0), "nothing left to collect");
}

#[test]
fn collect_keeps_a_cycle_a_variable_still_refers_to() {
    let mut heap = GcHeap::new();
    let [a, b, c] = objects(&mut heap, ["a", "b", "c"]);
    heap.link(a, b);
    heap.link(b, c);
    heap.link(c, a);
    heap.decref(b);
    heap.decref(c);
    assert_eq!(heap.collect(2), Ok(0));
    assert!([a, b, c].iter().all(|&op| heap.is_alive(op)));
    assert_eq!(heap.referents(c), [a], "a survivor keeps its references");
    heap.decref(a); // the last variable goes: now the cycle is garbage
    assert_eq!(heap.collect(2), Ok(3));
}

#[test]
fn a_self_reference_is_a_cycle() {
    let mut heap = GcHeap::new();
    let me = heap.alloc("me");
    heap.link(me, me);
    heap.decref(me);
    assert_eq!(heap.refcnt(me), 1);
    assert_eq!(heap.collect(2), Ok(1));
    assert!(!heap.is_alive(me));
}

#[test]
fn five_two_node_cycles_make_collect_return_ten() {
    let expected = scenario::expected_output(include_str!("../scenarios/five_cycles.py"));
    let mut heap = GcHeap::new();
    for _ in 0..5 {
        let [a, b] = objects(&mut heap, ["a", "b"]);
        heap.link(a, b);
        heap.link(b, a);
        heap.decref(a);
        heap.decref(b);
    }
    let printed = vec![heap.collect(2).expect("generation 2 exists").to_string()];
    assert_eq!(printed, expected);
}

#[test]
fn survivors_move_up_one_generation_per_collection() {
    let mut heap = GcHeap::new();
    let [a, b] = objects(&mut heap, ["a", "b"]);
    let mut text = format!("allocated\n{}", heap.describe_generations());
    heap.collect(0).unwrap();
    let c = heap.alloc("c");
    text += &format!(
        "collect(0), then c allocated\n{}",
        heap.describe_generations()
    );
    heap.collect(1).unwrap();
    text += &format!("collect(1)\n{}", heap.describe_generations());
    heap.collect(2).unwrap();
    text += &format!("collect(2)\n{}", heap.describe_generations());
    insta::assert_snapshot!(text);
    assert!([a, b, c].iter().all(|&op| heap.is_alive(op)));
}

#[test]
fn a_young_collection_treats_older_objects_as_roots() {
    // An old garbage cycle (o1 <-> o2, generation 1) still refers to a young cycle (y1 <-> y2).
    // collect(0) only sees the young objects: the reference from o1 counts as external, so
    // nothing is freed. collect(1) sees both cycles and frees all four.
    let mut heap = GcHeap::new();
    let [o1, o2] = objects(&mut heap, ["o1", "o2"]);
    heap.link(o1, o2);
    heap.link(o2, o1);
    heap.collect(0).unwrap(); // o1, o2 survive (variables) and move to generation 1
    let [y1, y2] = objects(&mut heap, ["y1", "y2"]);
    heap.link(y1, y2);
    heap.link(y2, y1);
    heap.link(o1, y1);
    for op in [o1, o2, y1, y2] {
        heap.decref(op);
    }
    assert_eq!(heap.collect(0), Ok(0));
    assert!(heap.is_alive(y1) && heap.is_alive(y2));
    assert_eq!(heap.list_names(ListId::GEN1), "o1 o2 y1 y2");
    assert_eq!(heap.collect(1), Ok(4));
    assert!([o1, o2, y1, y2].iter().all(|&op| !heap.is_alive(op)));
}

#[test]
fn delete_garbage_clears_references_and_moves_survivors_to_old() {
    // delete_garbage on its own: `keep` has a variable, so clearing it does not free it; it
    // moves to the `old` list. `dies` is referenced only by `keep`, so clearing `keep` frees it.
    let mut heap = GcHeap::new();
    let [keep, dies] = objects(&mut heap, ["keep", "dies"]);
    heap.link(keep, dies);
    heap.decref(dies);
    heap.gc_list_init(ListId::FINAL_UNREACHABLE);
    heap.gc_list_move(keep, ListId::FINAL_UNREACHABLE);
    heap.gc_list_move(dies, ListId::FINAL_UNREACHABLE);
    heap.delete_garbage(ListId::FINAL_UNREACHABLE, ListId::GEN1);
    assert!(heap.gc_list_is_empty(ListId::FINAL_UNREACHABLE));
    assert!(!heap.is_alive(dies));
    assert!(heap.is_alive(keep));
    assert_eq!(heap.referents(keep), [], "tp_clear dropped its references");
    assert_eq!(heap.list_ids(ListId::GEN1), [keep]);
}

#[test]
fn collect_rejects_a_generation_that_does_not_exist() {
    let mut heap = GcHeap::new();
    let a = heap.alloc("a");
    assert_eq!(heap.collect(3), Err(GcError::InvalidGeneration));
    assert_eq!(GcError::InvalidGeneration.to_string(), "invalid generation");
    assert_eq!(heap.list_ids(ListId::GEN0), [a], "nothing moved");
    assert_eq!(heap.collect(0), Ok(0));
    assert_eq!(heap.list_ids(ListId::GEN1), [a]);
}

// The property test (random graphs against a mark-from-the-roots oracle) lives in its own file.
mod oracle;
