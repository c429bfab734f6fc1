//! The chapter's steps one at a time, in the order "Your turn" gives them (`stepN_<function>_…`;
//! a getter and its setter are one step). Each test calls its own functions, the given heap
//! (`alloc`, `link`, `decref`, `list_ids`, `take_log`) and, where it needs a collection or a
//! count to look at, your `collect` from the Cycles chapter or an earlier step of this one. A
//! new heap starts disabled, so no test here starts an automatic collection.

use std::cell::RefCell;
use std::rc::Rc;

use collector::cycles::{GcHeap, ListId, ObjId};
use collector::generations::{DEBUG_STATS, GcInfo, Phase};

/// A garbage cycle of two objects, in generation 0.
fn garbage_pair(heap: &mut GcHeap) -> [ObjId; 2] {
    let (a, b) = (heap.alloc("a"), heap.alloc("b"));
    heap.link(a, b);
    heap.link(b, a);
    heap.decref(a);
    heap.decref(b);
    [a, b]
}

#[test]
fn step1_enable_disable_isenabled_switch_automatic_collection() {
    let mut heap = GcHeap::new();
    assert!(!heap.isenabled(), "a new GcHeap starts disabled");
    heap.enable();
    assert!(heap.isenabled());
    heap.enable();
    assert!(heap.isenabled(), "enabling twice changes nothing");
    heap.disable();
    assert!(!heap.isenabled());
}

#[test]
fn step2_get_threshold_set_threshold_keep_thresholds_not_given() {
    let mut heap = GcHeap::new();
    assert_eq!(heap.get_threshold(), (700, 10, 10));
    heap.set_threshold(5, None, Some(7));
    assert_eq!(heap.get_threshold(), (5, 10, 7));
    heap.set_threshold(0, Some(1), None);
    assert_eq!(heap.get_threshold(), (0, 1, 7));
}

#[test]
fn step3_get_count_follows_allocations_deallocations_and_collections() {
    let mut heap = GcHeap::new();
    assert_eq!(heap.get_count(), (0, 0, 0));
    let [a, _, _] = ["a", "b", "c"].map(|name| heap.alloc(name));
    assert_eq!(heap.get_count(), (3, 0, 0));
    heap.decref(a);
    assert_eq!(heap.get_count(), (2, 0, 0), "a deallocation counts down");
    heap.collect(0).unwrap();
    assert_eq!(
        heap.get_count(),
        (0, 1, 0),
        "a collection of 0 counts one for generation 1"
    );
}

#[test]
fn step4_get_stats_reports_each_generations_collections() {
    let mut heap = GcHeap::new();
    assert!(heap.get_stats().iter().all(|s| s.collections == 0));
    garbage_pair(&mut heap);
    heap.collect(0).unwrap();
    heap.collect(2).unwrap();
    let stats = heap.get_stats();
    assert_eq!(
        (stats[0].collections, stats[0].collected),
        (1, 2),
        "{stats:?}"
    );
    assert_eq!(stats[1].collections, 0);
    assert_eq!(
        (stats[2].collections, stats[2].collected),
        (1, 0),
        "{stats:?}"
    );
    assert_eq!(
        stats[0].to_string(),
        "{'collections': 1, 'collected': 2, 'uncollectable': 0}"
    );
}

#[test]
fn step5_set_debug_get_debug_keep_the_flags() {
    let mut heap = GcHeap::new();
    assert_eq!(heap.get_debug(), 0);
    heap.set_debug(DEBUG_STATS);
    assert_eq!(heap.get_debug(), DEBUG_STATS);
    heap.set_debug(0);
    assert_eq!(heap.get_debug(), 0);
}

#[test]
fn step6_freeze_unfreeze_get_freeze_count_move_everything_through_permanent() {
    let mut heap = GcHeap::new();
    let objects = ["a", "b", "c"].map(|name| heap.alloc(name));
    heap.freeze();
    assert_eq!(heap.get_freeze_count(), 3);
    assert_eq!(heap.list_ids(ListId::PERMANENT), objects);
    assert!(heap.list_ids(ListId::GEN0).is_empty());
    assert_eq!(heap.get_count(), (0, 0, 0), "freeze zeroes the counts");
    heap.unfreeze();
    assert_eq!(heap.get_freeze_count(), 0);
    assert_eq!(
        heap.list_ids(ListId::GEN2),
        objects,
        "unfreeze puts them in the oldest generation"
    );
}

#[test]
fn step7_collect_generations_collects_the_oldest_generation_past_its_threshold() {
    let mut heap = GcHeap::new();
    assert_eq!(heap.collect_generations(), 0, "nothing is due");
    assert!(heap.get_stats().iter().all(|s| s.collections == 0));
    heap.set_threshold(1, Some(0), Some(100));
    garbage_pair(&mut heap);
    assert_eq!(
        heap.collect_generations(),
        2,
        "count 0 is 2 > 1: generation 0"
    );
    garbage_pair(&mut heap);
    // Count 1 is now 1 > 0: generation 1 is the oldest due, and takes generation 0 with it.
    assert_eq!(heap.collect_generations(), 2);
    let collections: Vec<usize> = heap.get_stats().iter().map(|s| s.collections).collect();
    assert_eq!(collections, [1, 1, 0]);
}

#[test]
fn step8_invoke_gc_callback_calls_every_callback_in_order() {
    let mut heap = GcHeap::new();
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    for name in ["first", "second"] {
        let sink = Rc::clone(&log);
        heap.add_callback(Box::new(move |phase: Phase, info: &GcInfo| {
            sink.borrow_mut().push(format!("{name} {phase} {info}"));
        }));
    }
    heap.invoke_gc_callback(Phase::Start, 1, 0, 0);
    heap.invoke_gc_callback(Phase::Stop, 1, 5, 2);
    assert_eq!(
        *log.borrow(),
        [
            "first start {'generation': 1, 'collected': 0, 'uncollectable': 0}",
            "second start {'generation': 1, 'collected': 0, 'uncollectable': 0}",
            "first stop {'generation': 1, 'collected': 5, 'uncollectable': 2}",
            "second stop {'generation': 1, 'collected': 5, 'uncollectable': 2}",
        ]
    );
}

#[test]
fn step9_show_stats_each_generations_prints_the_list_sizes() {
    let mut heap = GcHeap::new();
    for name in ["a", "b", "c"] {
        heap.alloc(name);
    }
    heap.show_stats_each_generations();
    assert_eq!(
        heap.take_log(),
        [
            "gc: objects in each generation: 3 0 0",
            "gc: objects in permanent generation: 0",
        ]
    );
}
