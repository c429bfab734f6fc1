//! Chapter 13, "Generations": counts, thresholds, automatic collection, freeze, statistics,
//! callbacks and `DEBUG_STATS` (`collector::generations`).

use std::cell::RefCell;
use std::rc::Rc;

use collector::cycles::{GcHeap, ListId, ObjId};
use collector::generations::{DEBUG_STATS, GcInfo, Phase};
use collector::weakref::Callback;

use crate::ch05_cycles::scenario;

// First, each function of "Your turn" alone, in the chapter's order; then the whole scheduler.
mod steps;

/// A garbage cycle of two objects.
fn garbage_pair(heap: &mut GcHeap) -> [ObjId; 2] {
    let (a, b) = (heap.alloc("a"), heap.alloc("b"));
    heap.link(a, b);
    heap.link(b, a);
    heap.decref(a);
    heap.decref(b);
    [a, b]
}

/// Records every callback call as `phase info`.
fn record_callbacks(heap: &mut GcHeap) -> Rc<RefCell<Vec<String>>> {
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    let sink = Rc::clone(&log);
    heap.add_callback(Box::new(move |phase: Phase, info: &GcInfo| {
        sink.borrow_mut().push(format!("{phase} {info}"));
    }));
    log
}

/// Records the generation of every collection that starts.
fn record_generations(heap: &mut GcHeap) -> Rc<RefCell<Vec<usize>>> {
    let gens: Rc<RefCell<Vec<usize>>> = Rc::default();
    let sink = Rc::clone(&gens);
    heap.add_callback(Box::new(move |phase: Phase, info: &GcInfo| {
        if phase == Phase::Start {
            sink.borrow_mut().push(info.generation);
        }
    }));
    gens
}

#[test]
fn thresholds_default_to_cpythons_and_enable_switches_collection_on() {
    let mut heap = GcHeap::new();
    assert_eq!(heap.get_threshold(), (700, 10, 10));
    assert!(
        !heap.isenabled(),
        "a new GcHeap starts as after gc.disable()"
    );
    heap.enable();
    assert!(heap.isenabled());
    heap.set_threshold(5, None, None);
    assert_eq!(
        heap.get_threshold(),
        (5, 10, 10),
        "thresholds not given keep their value"
    );
    heap.set_threshold(100, Some(20), Some(30));
    assert_eq!(heap.get_threshold(), (100, 20, 30));
    heap.disable();
    assert!(!heap.isenabled());
}

#[test]
fn counts_rise_on_allocation_and_fall_on_deallocation() {
    let mut heap = GcHeap::new();
    let [a, b, c] = ["a", "b", "c"].map(|name| heap.alloc(name));
    assert_eq!(heap.get_count(), (3, 0, 0));
    heap.decref(b);
    assert_eq!(heap.get_count(), (2, 0, 0));
    heap.collect(0).unwrap();
    assert_eq!(
        heap.get_count(),
        (0, 1, 0),
        "collecting 0 zeroes count 0, counts one for 1"
    );
    heap.decref(a); // deallocated after the reset: the count does not go below 0
    assert_eq!(heap.get_count(), (0, 1, 0));
    heap.collect(1).unwrap();
    assert_eq!(heap.get_count(), (0, 0, 1));
    heap.collect(2).unwrap();
    assert_eq!(heap.get_count(), (0, 0, 0));
    assert!(heap.is_alive(c));
}

#[test]
fn past_threshold_0_an_allocation_collects_before_tracking_the_new_object() {
    let mut heap = GcHeap::new();
    heap.set_threshold(5, None, None);
    heap.enable();
    let log = record_callbacks(&mut heap);
    let [a, b] = garbage_pair(&mut heap);
    let _keep: Vec<ObjId> = (0..3).map(|_| heap.alloc("k")).collect();
    assert_eq!(heap.get_count(), (5, 0, 0));
    assert!(log.borrow().is_empty(), "5 is not above the threshold");
    let sixth = heap.alloc("sixth");
    assert_eq!(
        *log.borrow(),
        [
            "start {'generation': 0, 'collected': 0, 'uncollectable': 0}",
            "stop {'generation': 0, 'collected': 2, 'uncollectable': 0}",
        ]
    );
    assert!(!heap.is_alive(a) && !heap.is_alive(b));
    assert_eq!(
        heap.list_ids(ListId::GEN0),
        [sixth],
        "tracked after the collection"
    );
    assert_eq!(heap.gc_list_size(ListId::GEN1), 3);
    assert_eq!(
        heap.get_count(),
        (0, 1, 0),
        "the new object was counted, then reset"
    );
}

#[test]
fn disabled_or_zero_threshold_means_no_automatic_collection() {
    let mut heap = GcHeap::new();
    heap.set_threshold(3, None, None);
    let gens = record_generations(&mut heap);
    for _ in 0..10 {
        heap.alloc("x");
    }
    assert_eq!(
        heap.get_count(),
        (10, 0, 0),
        "counting goes on while disabled"
    );
    heap.enable();
    heap.set_threshold(0, None, None);
    heap.alloc("y");
    assert!(gens.borrow().is_empty());
    heap.set_threshold(3, None, None);
    heap.alloc("z");
    assert_eq!(*gens.borrow(), [0]);
}

#[test]
fn the_oldest_generation_past_its_threshold_is_collected() {
    // Thresholds (2, 2, 2), every object kept. A count must be *above* its threshold: count 0
    // reaches 3 every 3rd allocation; count 1 reaches 3 after three collections of generation
    // 0, so every 4th collection takes generation 1; likewise every 4th of those takes
    // generation 2 (the 25 % rule does not stop it: long_lived_total is 0 at first).
    let mut heap = GcHeap::new();
    heap.set_threshold(2, Some(2), Some(2));
    heap.enable();
    let gens = record_generations(&mut heap);
    for _ in 0..90 {
        heap.alloc("x");
    }
    let text: Vec<String> = gens.borrow().iter().map(|g| g.to_string()).collect();
    insta::assert_snapshot!(text.join(" "));
    assert_eq!(heap.get_stats().map(|s| s.collections), [21, 7, 2]);
}

#[test]
fn the_25_percent_rule_postpones_full_collections() {
    // 400 objects survive a full collection: long_lived_total = 400. With thresholds
    // (9, 1, 1), generation 1 is collected every 3rd time and generation 2 is due by the counts
    // after two of those (30 allocations each), but it runs only once at least 100 objects (a
    // quarter of 400) were promoted into generation 2: after four.
    let mut heap = GcHeap::new();
    let _old: Vec<ObjId> = (0..400).map(|_| heap.alloc("old")).collect();
    heap.collect(2).unwrap();
    heap.set_threshold(9, Some(1), Some(1));
    heap.enable();
    let gens = record_generations(&mut heap);
    for _ in 0..300 {
        heap.alloc("new");
    }
    let text: Vec<String> = gens.borrow().iter().map(|g| g.to_string()).collect();
    insta::assert_snapshot!(text.join(" "));
}

#[test]
fn the_25_percent_rule_divides_like_c_and_skips_only_below_a_quarter() {
    // long_lived_total = 10, not a multiple of 4: 10 / 4 is 2 in C's integer division (2.5 as
    // a float). Generation 2 is due by the counts; it is skipped only while
    // long_lived_pending < 2. At exactly 2 the full collection runs.
    for (promoted, expected) in [(1, 0), (2, 2)] {
        let mut heap = GcHeap::new();
        let _old: Vec<ObjId> = (0..10).map(|_| heap.alloc("old")).collect();
        heap.collect(2).unwrap(); // long_lived_total = 10
        let _new: Vec<ObjId> = (0..promoted).map(|_| heap.alloc("new")).collect();
        heap.collect(1).unwrap(); // long_lived_pending = promoted, count 2 = 1
        heap.set_threshold(1, Some(100), Some(0));
        heap.enable();
        let gens = record_generations(&mut heap);
        heap.alloc("x");
        heap.alloc("y"); // count 0 = 2 > 1: an automatic collection
        assert_eq!(
            *gens.borrow(),
            [expected],
            "long_lived_total 10, long_lived_pending {promoted}: collected generation"
        );
    }
}

#[test]
fn an_automatic_collection_inside_new_weakref_can_free_the_basic_weakref() {
    // `holder` <-> `other` is garbage, and `holder` has the only reference to t's basic weakref.
    // Creating a callback weakref to t allocates; that allocation collects generation 0, which
    // clears and frees the basic weakref. So new_weakref must look the basic weakref up again
    // after allocating (weakref___new__ calls get_basic_refs again after tp_alloc).
    let mut heap = GcHeap::new();
    let t = heap.alloc("t");
    let basic = heap.new_weakref(t, None);
    let [holder, _other] = garbage_pair(&mut heap);
    heap.link(holder, basic);
    heap.decref(basic);
    heap.set_threshold(1, None, None);
    heap.enable();
    let gens = record_generations(&mut heap);
    let wr = heap.new_weakref(t, Some(Callback::print("callback")));
    assert_eq!(*gens.borrow(), [0], "the weakref's allocation collected");
    assert!(!heap.is_alive(basic), "the basic weakref was garbage");
    assert_eq!(heap.getweakrefcount(t), 1);
    assert_eq!(heap.weakref_get(wr), Some(t));
    heap.disable();
    let basic2 = heap.new_weakref(t, None);
    assert_ne!(
        basic2, wr,
        "t has no basic weakref left to share: a new one"
    );
    assert_eq!(heap.new_weakref(t, None), basic2);
    heap.decref(t);
    assert_eq!(heap.take_log(), ["callback"]);
}

#[test]
fn freeze_hides_objects_until_unfreeze() {
    let mut heap = GcHeap::new();
    let keep = heap.alloc("keep");
    let [a, b] = garbage_pair(&mut heap);
    heap.freeze();
    assert_eq!(heap.get_freeze_count(), 3);
    assert_eq!(heap.list_names(ListId::PERMANENT), "keep a b");
    assert_eq!(
        heap.collect(2),
        Ok(0),
        "frozen objects are not even examined"
    );
    assert!(heap.is_alive(a) && heap.is_alive(b));
    let young = heap.alloc("young");
    heap.unfreeze();
    assert_eq!(heap.get_freeze_count(), 0);
    assert_eq!(heap.list_names(ListId::GEN2), "keep a b");
    assert_eq!(heap.list_ids(ListId::GEN0), [young]);
    assert_eq!(heap.collect(2), Ok(2));
    assert!(heap.is_alive(keep) && !heap.is_alive(a));
}

#[test]
fn freeze_zeroes_every_count() {
    let mut heap = GcHeap::new();
    heap.collect(1).unwrap();
    heap.collect(0).unwrap();
    heap.collect(0).unwrap();
    heap.alloc("x");
    assert_eq!(heap.get_count(), (1, 2, 1));
    heap.freeze();
    assert_eq!(heap.get_count(), (0, 0, 0));
    assert_eq!(heap.get_freeze_count(), 1);
}

#[test]
fn get_stats_counts_collections_per_generation() {
    let mut heap = GcHeap::new();
    garbage_pair(&mut heap);
    heap.collect(0).unwrap();
    let legacy = heap.alloc("legacy");
    heap.set_legacy_finalizer(legacy);
    heap.link(legacy, legacy);
    heap.decref(legacy);
    garbage_pair(&mut heap);
    heap.collect(2).unwrap();
    heap.collect(1).unwrap();
    let lines: Vec<String> = heap.get_stats().iter().map(|s| s.to_string()).collect();
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn callbacks_see_start_and_stop_with_the_results() {
    let mut heap = GcHeap::new();
    let log = record_callbacks(&mut heap);
    let me = heap.alloc("me");
    heap.link(me, me);
    heap.decref(me);
    assert_eq!(heap.collect(2), Ok(1));
    heap.clear_callbacks();
    heap.collect(2).unwrap();
    insta::assert_snapshot!(log.borrow().join("\n"));
}

#[test]
fn several_callbacks_are_called_in_order_for_each_phase() {
    let mut heap = GcHeap::new();
    let log: Rc<RefCell<Vec<String>>> = Rc::default();
    for name in ["first", "second"] {
        let sink = Rc::clone(&log);
        heap.add_callback(Box::new(move |phase: Phase, info: &GcInfo| {
            sink.borrow_mut().push(format!("{name} {phase} {info}"));
        }));
    }
    garbage_pair(&mut heap);
    assert_eq!(heap.collect(0), Ok(2));
    insta::assert_snapshot!(log.borrow().join("\n"));
}

#[test]
fn debug_stats_prints_cpythons_lines() {
    let mut heap = GcHeap::new();
    let _old = heap.alloc("old");
    heap.collect(1).unwrap(); // "old" is now in generation 2
    let _frozen_soon = heap.alloc("frozen");
    heap.freeze();
    heap.unfreeze(); // both back in generation 2
    let _young = heap.alloc("young");
    for _ in 0..5 {
        garbage_pair(&mut heap);
    }
    heap.set_debug(DEBUG_STATS);
    assert_eq!(heap.get_debug(), DEBUG_STATS);
    assert_eq!(heap.collect(2), Ok(10));
    heap.set_debug(0);
    heap.collect(0).unwrap();
    let log = heap.take_log().join("\n");
    insta::with_settings!({filters => vec![(r"\d+\.\d{4}s elapsed", "[time]s elapsed")]}, {
        insta::assert_snapshot!(log);
    });
}

#[test]
fn automatic_collections_for_200000_survivors_match_cpython() {
    let expected = scenario::expected_output(include_str!("../scenarios/auto_collections.py"));
    let mut heap = GcHeap::new();
    heap.enable(); // CPython's default
    let gens = record_generations(&mut heap);
    for _ in 0..200_000 {
        heap.alloc(""); // kept: the program's reference is never dropped
    }
    let gens = gens.borrow();
    let mut out = vec![format!("collections: {}", gens.len())];
    let per: Vec<String> = (0..3)
        .map(|g| gens.iter().filter(|&&x| x == g).count().to_string())
        .collect();
    out.push(format!("per generation: {}", per.join(" ")));
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for &g in gens.iter() {
        match runs.last_mut() {
            Some((last, n)) if *last == g => *n += 1,
            _ => runs.push((g, 1)),
        }
    }
    let first: Vec<String> = runs
        .iter()
        .take(4)
        .map(|(g, n)| format!("{g} x {n}"))
        .collect();
    out.push(format!("first runs: {}", first.join(", ")));
    let full: Vec<String> = (0..gens.len())
        .filter(|&i| gens[i] == 2)
        .map(|i| i.to_string())
        .collect();
    out.push(format!("full collections at: {}", full.join(" ")));
    assert_eq!(out, expected);
}

// The stress test (random programs under automatic collection at threshold 1) lives in its own
// file.
mod stress;
