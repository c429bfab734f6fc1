//! Chapter 6, "Weak references": clearing and callbacks (`collector::weakref`).

use collector::cycles::{GcHeap, ListId, ObjId};
use collector::weakref::Callback;

use crate::ch05_cycles::scenario;

/// Two objects referring to each other, with no variable left: garbage only the GC can free.
fn garbage_pair(heap: &mut GcHeap, a: &str, b: &str) -> (ObjId, ObjId) {
    let (a, b) = (heap.alloc(a), heap.alloc(b));
    heap.link(a, b);
    heap.link(b, a);
    (a, b)
}

fn drop_all(heap: &mut GcHeap, ids: &[ObjId]) {
    for &op in ids {
        heap.decref(op);
    }
}

#[test]
fn a_weakref_gives_its_referent_without_keeping_it_alive() {
    let mut heap = GcHeap::new();
    let a = heap.alloc("a");
    let wr = heap.new_weakref(a, None);
    assert_eq!(
        heap.refcnt(a),
        1,
        "a weak reference adds nothing to the count"
    );
    assert_eq!(heap.weakref_get(wr), Some(a));
    assert_eq!(heap.getweakrefcount(a), 1);
    assert_eq!(heap.name(wr), "wr(a)");
    assert!(
        heap.is_tracked(wr),
        "a weak reference is a tracked object itself"
    );
    heap.decref(a);
    assert!(!heap.is_alive(a));
    assert_eq!(heap.weakref_get(wr), None, "cleared when the referent died");
}

#[test]
fn basic_weakrefs_are_shared_but_callback_weakrefs_are_not() {
    let mut heap = GcHeap::new();
    let a = heap.alloc("a");
    let r1 = heap.new_weakref(a, None);
    let r2 = heap.new_weakref(a, None);
    assert_eq!(r1, r2, "weakref.ref(a) is weakref.ref(a)");
    assert_eq!(
        heap.refcnt(r1),
        2,
        "shared: one more reference to the same weakref"
    );
    let c1 = heap.new_weakref(a, Some(Callback::print("cb1")));
    let c2 = heap.new_weakref(a, Some(Callback::print("cb2")));
    assert_ne!(c1, c2);
    assert_ne!(c1, r1);
    assert_eq!(heap.getweakrefcount(a), 3);
    assert_eq!(
        heap.new_weakref(a, None),
        r1,
        "the basic weakref stays first in the list, before the callback ones"
    );
    // A basic weakref created after callback ones is still shared from then on.
    let b = heap.alloc("b");
    let cb = heap.new_weakref(b, Some(Callback::print("cb")));
    let basic = heap.new_weakref(b, None);
    assert_ne!(basic, cb);
    assert_eq!(heap.new_weakref(b, None), basic);
}

#[test]
fn refcount_death_clears_every_weakref_then_calls_back_newest_first() {
    let mut heap = GcHeap::new();
    let e = heap.alloc("e");
    let w1 = heap.new_weakref(e, Some(Callback::print("cb1")));
    let w2 = heap.new_weakref(e, Some(Callback::print("cb2")));
    let w0 = heap.new_weakref(e, None);
    heap.decref(e);
    assert_eq!(heap.take_log(), ["cb2", "cb1"]);
    for wr in [w0, w1, w2] {
        assert_eq!(heap.weakref_get(wr), None);
        assert!(
            heap.is_alive(wr),
            "the program still holds the weakref objects"
        );
    }
}

#[test]
fn a_dead_weakref_never_calls_back() {
    let mut heap = GcHeap::new();
    let a = heap.alloc("a");
    let wr = heap.new_weakref(a, Some(Callback::print("too late")));
    heap.decref(wr); // the program drops the weakref first
    assert!(!heap.is_alive(wr));
    assert_eq!(
        heap.getweakrefcount(a),
        0,
        "a dying weakref leaves its referent's list"
    );
    heap.decref(a);
    assert_eq!(heap.take_log(), Vec::<String>::new());
}

#[test]
fn clear_weakref_detaches_it_from_its_referent() {
    let mut heap = GcHeap::new();
    let a = heap.alloc("a");
    let wr = heap.new_weakref(a, Some(Callback::print("callback")));
    heap.clear_weakref(wr);
    assert_eq!(heap.weakref_get(wr), None);
    assert_eq!(heap.getweakrefcount(a), 0);
    heap.clear_weakref(wr); // clearing twice is harmless
    heap.decref(a); // no weakref left to call back
    assert_eq!(heap.take_log(), Vec::<String>::new());
}

#[test]
fn gc_clears_all_weakrefs_before_calling_any_callback() {
    // e <-> f is garbage; e has two weakrefs with callbacks, f one. The callbacks run in
    // unreachable-list order (e's newest first, then f's), after every weakref was cleared.
    let mut heap = GcHeap::new();
    let (e, f) = garbage_pair(&mut heap, "e", "f");
    let w1 = heap.new_weakref(e, Some(Callback::print("cb1")));
    let w2 = heap.new_weakref(e, Some(Callback::print("cb2")));
    let w3 = heap.new_weakref(f, Some(Callback::print("cb3")));
    drop_all(&mut heap, &[e, f]);
    assert_eq!(
        heap.collect(2),
        Ok(2),
        "the weakrefs are not garbage: not counted"
    );
    insta::assert_snapshot!(heap.take_log().join("\n"));
    for wr in [w1, w2, w3] {
        assert_eq!(heap.weakref_get(wr), None);
    }
    assert!(!heap.is_alive(e) && !heap.is_alive(f));
}

#[test]
fn callbacks_run_only_once_every_weakref_is_cleared() {
    // Each callback prints whether *another* weak reference is already cleared. Clearing and
    // calling back one weakref (or one object) at a time would print False somewhere.
    let mut heap = GcHeap::new();
    let mut out = vec!["refcount path:".to_string()];
    let d = heap.alloc("d");
    let basic = heap.new_weakref(d, None);
    let first = heap.new_weakref(d, Some(Callback::print_cleared("cb-first", basic)));
    // Newest first: this callback runs before `first` is reached in the list.
    let _second = heap.new_weakref(d, Some(Callback::print_cleared("cb-second", first)));
    heap.decref(d);
    out.extend(heap.take_log());

    out.push("GC path:".to_string());
    let (e, f) = garbage_pair(&mut heap, "e", "f");
    let wf = heap.new_weakref(f, Some(Callback::print("cb-f")));
    // e comes first in the unreachable list: its callback runs before f is reached.
    let we = heap.new_weakref(e, Some(Callback::print_cleared("cb-e", wf)));
    let _wf2 = heap.new_weakref(f, Some(Callback::print_cleared("cb-f2", we)));
    drop_all(&mut heap, &[e, f]);
    heap.collect(2).unwrap();
    out.extend(heap.take_log());
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn handle_weakrefs_queues_callbacks_and_moves_their_weakrefs_to_old() {
    let mut heap = GcHeap::new();
    let (a, b) = garbage_pair(&mut heap, "a", "b");
    let wr = heap.new_weakref(a, Some(Callback::print("called")));
    heap.gc_list_move(wr, ListId::GEN2);
    drop_all(&mut heap, &[a, b]);
    heap.deduce_unreachable(ListId::GEN0, ListId::UNREACHABLE);
    let freed = heap.handle_weakrefs(ListId::UNREACHABLE, ListId::GEN1);
    assert_eq!(freed, 0);
    assert_eq!(heap.take_log(), ["called"]);
    assert!(heap.gc_list_is_empty(ListId::WRCB_TO_CALL));
    assert_eq!(
        heap.list_ids(ListId::GEN1),
        [wr],
        "a weakref whose callback ran goes to old"
    );
    assert_eq!(
        heap.list_names(ListId::UNREACHABLE),
        "a b",
        "the trash itself is not touched"
    );
    assert_eq!(heap.refcnt(wr), 1, "the temporary reference was given back");
}

#[test]
fn callbacks_of_weakrefs_that_are_garbage_never_run() {
    let mut heap = GcHeap::new();
    let s = heap.alloc("s");
    heap.link(s, s);
    let wr = heap.new_weakref(s, Some(Callback::print("never")));
    heap.link(s, wr); // s.wr = weakref.ref(s, never)
    heap.decref(wr);
    heap.decref(s);
    assert_eq!(heap.collect(2), Ok(2), "s and its weakref");
    assert_eq!(heap.take_log(), Vec::<String>::new());
    assert!(!heap.is_alive(wr));
}

#[test]
fn garbage_holding_a_weakref_to_a_live_object_clears_it() {
    let mut heap = GcHeap::new();
    let x = heap.alloc("x");
    let y = heap.alloc("y");
    heap.link(y, y);
    let wr = heap.new_weakref(x, Some(Callback::print("never")));
    heap.link(y, wr);
    heap.decref(wr);
    heap.decref(y);
    assert_eq!(heap.collect(2), Ok(2));
    assert!(heap.is_alive(x));
    assert_eq!(heap.getweakrefcount(x), 0);
    heap.decref(x);
    assert_eq!(heap.take_log(), Vec::<String>::new());
}

#[test]
fn a_callback_that_drops_its_weakref_makes_collect_count_it() {
    let mut heap = GcHeap::new();
    let (a, b) = garbage_pair(&mut heap, "a", "b");
    // The registry holds the only reference to the weakref; the callback discards it.
    let wr = heap.new_weakref(a, Some(Callback::print("forget").discarding()));
    drop_all(&mut heap, &[a, b]);
    assert_eq!(
        heap.collect(2),
        Ok(3),
        "a, b, and the weakref the callback freed"
    );
    assert!(!heap.is_alive(wr));
    assert_eq!(heap.take_log(), ["forget"]);
}

#[test]
fn gc_path_scenario_matches_cpython() {
    let expected = scenario::expected_output(include_str!("../scenarios/weakref_gc_path.py"));
    let mut heap = GcHeap::new();
    let mut out = Vec::new();

    let (a, b) = garbage_pair(&mut heap, "a", "b");
    let registered = heap.new_weakref(a, Some(Callback::print("forget").discarding()));
    drop_all(&mut heap, &[a, b]);
    let n = heap.collect(2).unwrap();
    out.extend(heap.take_log());
    let left = usize::from(heap.is_alive(registered));
    out.push(format!(
        "registry cycle: {n} collected, {left} left in registry"
    ));

    let s = heap.alloc("s");
    heap.link(s, s);
    let wr = heap.new_weakref(s, Some(Callback::print("never")));
    heap.link(s, wr);
    drop_all(&mut heap, &[wr, s]);
    let n = heap.collect(2).unwrap();
    out.extend(heap.take_log());
    out.push(format!("self weakref: {n} collected"));

    let x = heap.alloc("x");
    let y = heap.alloc("y");
    heap.link(y, y);
    let wr = heap.new_weakref(x, Some(Callback::print("never")));
    heap.link(y, wr);
    drop_all(&mut heap, &[wr, y]);
    let n = heap.collect(2).unwrap();
    out.extend(heap.take_log());
    let left = heap.getweakrefcount(x);
    out.push(format!(
        "weakref to a live object: {n} collected, {left} weakrefs left"
    ));

    assert_eq!(out, expected);
}
