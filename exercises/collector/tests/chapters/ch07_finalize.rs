//! Chapter 7, "`__del__` pitfalls": PEP 442 finalizers, resurrection, legacy finalizers
//! (`collector::finalize`).

use std::cell::RefCell;
use std::rc::Rc;

use collector::cycles::{GcHeap, ListId, ObjId};
use collector::finalize::{Finalizer, UnraisableHookArgs};
use collector::weakref::Callback;

use crate::ch05_cycles::scenario;

/// An object whose class has `__del__` doing `finalizer`.
fn with_del(heap: &mut GcHeap, name: &str, finalizer: Finalizer) -> ObjId {
    let op = heap.alloc(name);
    heap.set_finalizer(op, finalizer);
    op
}

fn drop_all(heap: &mut GcHeap, ids: &[ObjId]) {
    for &op in ids {
        heap.decref(op);
    }
}

const BOOM: Finalizer = Finalizer::Raise {
    class: "C",
    error: "ValueError: boom",
};

#[test]
fn finalizers_of_a_cycle_run_in_gc_list_order() {
    let expected = scenario::expected_output(include_str!("../scenarios/finalizer_order.py"));
    let mut heap = GcHeap::new();
    let c = with_del(&mut heap, "c", Finalizer::Print);
    let b = with_del(&mut heap, "b", Finalizer::Print);
    let a = with_del(&mut heap, "a", Finalizer::Print);
    heap.link(a, b);
    heap.link(b, c);
    heap.link(c, a);
    drop_all(&mut heap, &[a, b, c]);
    let n = heap.collect(2).unwrap();
    let mut out = heap.take_log();
    out.push(format!("collected {n}"));
    assert_eq!(out, expected);
}

#[test]
fn weakref_callbacks_and_finalizers_order_on_both_paths() {
    let expected = scenario::expected_output(include_str!("../scenarios/weakref_vs_del.py"));
    let mut heap = GcHeap::new();
    let mut out = vec!["GC path:".to_string()];
    let [a, b, c] = ["a", "b", "c"].map(|name| with_del(&mut heap, name, Finalizer::Print));
    heap.link(a, b);
    heap.link(b, c);
    heap.link(c, a);
    let _wa = heap.new_weakref(a, Some(Callback::print("wr-callback a")));
    let _wb = heap.new_weakref(b, Some(Callback::print("wr-callback b")));
    drop_all(&mut heap, &[a, b, c]);
    let n = heap.collect(2).unwrap();
    out.extend(heap.take_log());
    out.push(format!("collected {n}"));

    out.push("refcount path:".to_string());
    let d = with_del(&mut heap, "d", Finalizer::Print);
    let _wd = heap.new_weakref(d, Some(Callback::print("wr-callback d")));
    heap.decref(d);
    out.extend(heap.take_log());
    assert_eq!(out, expected);
}

#[test]
fn resurrection_runs_del_once_on_both_paths() {
    let expected = scenario::expected_output(include_str!("../scenarios/resurrection.py"));
    let mut heap = GcHeap::new();
    let mut out = vec!["refcount path:".to_string()];
    let x = with_del(&mut heap, "x", Finalizer::Resurrect);
    heap.decref(x); // del x
    out.extend(heap.take_log());
    let resurrected = usize::from(heap.is_alive(x));
    let finalized = if heap.is_finalized(x) {
        "True"
    } else {
        "False"
    };
    out.push(format!("resurrected: {resurrected} finalized: {finalized}"));
    heap.decref(x); // survivors.clear()
    assert!(!heap.is_alive(x));
    out.extend(heap.take_log());
    out.push("died again".to_string());

    out.push("GC path:".to_string());
    let a = with_del(&mut heap, "a", Finalizer::Resurrect);
    let b = with_del(&mut heap, "b", Finalizer::Print);
    heap.link(a, b);
    heap.link(b, a);
    drop_all(&mut heap, &[a, b]);
    let n = heap.collect(2).unwrap();
    out.extend(heap.take_log());
    let resurrected = usize::from(heap.is_alive(a));
    out.push(format!("collected {n} resurrected: {resurrected}"));
    heap.decref(a); // survivors.clear()
    let n = heap.collect(2).unwrap();
    out.extend(heap.take_log());
    out.push(format!("collected {n}"));
    assert_eq!(out, expected);
}

#[test]
fn an_exception_in_del_is_reported_and_ignored() {
    let expected = scenario::expected_output(include_str!("../scenarios/del_exception.py"));
    let mut heap = GcHeap::new();
    let x = with_del(&mut heap, "x", BOOM);
    heap.decref(x);
    assert!(!heap.is_alive(x), "the object is freed anyway");
    let mut out = heap.take_log();
    out.push("refcount path done".to_string());
    let a = with_del(&mut heap, "a", BOOM);
    heap.link(a, a);
    heap.decref(a);
    let n = heap.collect(2).unwrap();
    out.extend(heap.take_log());
    out.push(format!("collected {n}"));
    assert_eq!(out, expected);
}

#[test]
fn a_legacy_finalizer_cycle_ends_in_gc_garbage() {
    let expected = scenario::expected_output(include_str!("../scenarios/legacy_garbage.py"));
    let mut heap = GcHeap::new();
    let legacy = heap.alloc("legacy");
    heap.set_legacy_finalizer(legacy);
    heap.link(legacy, legacy);
    let child = with_del(&mut heap, "child", Finalizer::Print);
    heap.link(legacy, child);
    drop_all(&mut heap, &[child, legacy]);
    // gc.collect() returns collected + uncollectable; get_stats() (chapter 13) adds up the
    // second number, which collect_main (what gc.collect() runs) returns separately.
    let found = heap.collect_main(2);
    let mut out = heap.take_log();
    out.push(format!(
        "collected {}",
        found.collected + found.uncollectable
    ));
    let garbage: Vec<&str> = heap.garbage().iter().map(|&op| heap.name(op)).collect();
    out.push(format!("garbage [{}]", garbage.join(", ")));
    out.push(format!("uncollectable {}", found.uncollectable));
    out.push("refcount path:".to_string());
    let other = heap.alloc("other");
    heap.set_legacy_finalizer(other);
    heap.decref(other);
    out.extend(heap.take_log());
    assert_eq!(out, expected);
    assert!(
        heap.is_alive(child),
        "reachable from a legacy finalizer: uncollectable"
    );
    assert!(!heap.is_finalized(child), "and never finalized");
}

#[test]
fn the_gc_sets_finalized_before_calling_del() {
    let expected = scenario::expected_output(include_str!("../scenarios/finalized_flag.py"));
    let mut heap = GcHeap::new();
    let x = with_del(&mut heap, "x", Finalizer::PrintIsFinalized);
    heap.decref(x);
    let a = with_del(&mut heap, "a", Finalizer::PrintIsFinalized);
    heap.link(a, a);
    heap.decref(a);
    let n = heap.collect(2).unwrap();
    let mut out = heap.take_log();
    out.push(format!("collected {n}"));
    assert_eq!(out, expected);
}

#[test]
fn gc_collect_inside_del_returns_0_during_a_collection() {
    let expected = scenario::expected_output(include_str!("../scenarios/collect_in_del.py"));
    let mut heap = GcHeap::new();
    let mut out = vec!["GC path:".to_string()];
    let a = with_del(&mut heap, "a", Finalizer::CollectInside);
    let b = with_del(&mut heap, "b", Finalizer::CollectInside);
    heap.link(a, b);
    heap.link(b, a);
    drop_all(&mut heap, &[a, b]);
    let n = heap.collect(2).unwrap();
    out.extend(heap.take_log());
    out.push(format!("outer gc.collect(): {n}"));
    assert!(!heap.is_alive(a) && !heap.is_alive(b));

    out.push("refcount path:".to_string());
    let junk = heap.alloc("junk");
    heap.link(junk, junk);
    heap.decref(junk);
    let x = with_del(&mut heap, "x", Finalizer::CollectInside);
    heap.decref(x);
    out.extend(heap.take_log());
    assert_eq!(out, expected);
    assert!(!heap.is_alive(junk) && !heap.is_alive(x));
}

#[test]
fn finalize_garbage_runs_each_finalizer_once_and_keeps_the_order() {
    let mut heap = GcHeap::new();
    let p = with_del(&mut heap, "p", Finalizer::Print);
    let q = heap.alloc("q"); // no __del__
    let r = with_del(&mut heap, "r", Finalizer::Print);
    for op in [p, q, r] {
        heap.gc_list_move(op, ListId::FINAL_UNREACHABLE);
    }
    heap.finalize_garbage(ListId::FINAL_UNREACHABLE);
    assert_eq!(heap.take_log(), ["__del__ p", "__del__ r"]);
    assert_eq!(heap.list_ids(ListId::FINAL_UNREACHABLE), [p, q, r]);
    assert!(heap.gc_list_is_empty(ListId::SEEN));
    assert!(heap.is_finalized(p) && heap.is_finalized(r) && !heap.is_finalized(q));
    assert_eq!(heap.refcnt(p), 1, "the temporary reference was given back");
    heap.finalize_garbage(ListId::FINAL_UNREACHABLE);
    assert_eq!(heap.take_log(), Vec::<String>::new(), "never twice");
}

#[test]
fn the_refcount_path_stops_deallocating_a_resurrected_object() {
    let mut heap = GcHeap::new();
    let plain = with_del(&mut heap, "plain", Finalizer::Print);
    let phoenix = with_del(&mut heap, "phoenix", Finalizer::Resurrect);
    let child = heap.alloc("child");
    heap.link(phoenix, child);
    heap.decref(child);
    heap.decref(plain);
    assert!(!heap.is_alive(plain));
    heap.decref(phoenix);
    assert_eq!(heap.take_log(), ["__del__ plain", "__del__ phoenix"]);
    assert!(
        heap.is_alive(phoenix),
        "its finalizer stored it in a global"
    );
    assert_eq!(heap.refcnt(phoenix), 1);
    assert!(heap.is_finalized(phoenix));
    assert_eq!(
        heap.referents(phoenix),
        [child],
        "deallocation stopped before clearing it"
    );
    assert!(heap.is_alive(child));
    assert_eq!(
        heap.list_ids(ListId::GEN0),
        [child, phoenix],
        "tracked again, at the end"
    );
    heap.decref(phoenix); // the global lets go: no second __del__
    assert_eq!(heap.take_log(), Vec::<String>::new());
    assert!(!heap.is_alive(phoenix) && !heap.is_alive(child));
}

#[test]
fn the_refcount_path_finalizes_a_chain_parent_first() {
    let mut heap = GcHeap::new();
    let a = with_del(&mut heap, "a", Finalizer::Print);
    let b = with_del(&mut heap, "b", Finalizer::Print);
    let c = with_del(&mut heap, "c", Finalizer::Print);
    heap.link(a, b);
    heap.link(b, c);
    drop_all(&mut heap, &[c, b]);
    assert_eq!(heap.take_log(), Vec::<String>::new());
    heap.decref(a);
    insta::assert_snapshot!(heap.take_log().join("\n"));
    assert!([a, b, c].iter().all(|&op| !heap.is_alive(op)));
}

#[test]
fn resurrection_saves_only_what_the_revived_object_reaches() {
    // Two garbage cycles in one collection: a (resurrects) <-> b, and p <-> q. Since 3.9 the
    // collector recomputes reachability after the finalizers: a and b survive, p and q are
    // freed (3.8 kept the whole unreachable set alive for that collection).
    let mut heap = GcHeap::new();
    let a = with_del(&mut heap, "a", Finalizer::Resurrect);
    let b = with_del(&mut heap, "b", Finalizer::Print);
    let p = with_del(&mut heap, "p", Finalizer::Print);
    let q = heap.alloc("q");
    heap.link(a, b);
    heap.link(b, a);
    heap.link(p, q);
    heap.link(q, p);
    drop_all(&mut heap, &[a, b, p, q]);
    assert_eq!(heap.collect(0), Ok(2));
    assert_eq!(heap.take_log(), ["__del__ a", "__del__ b", "__del__ p"]);
    assert!(heap.is_alive(a) && heap.is_alive(b));
    assert!(!heap.is_alive(p) && !heap.is_alive(q));
    assert_eq!(
        heap.list_names(ListId::GEN1),
        "a b",
        "the resurrected go to the older generation"
    );
}

#[test]
fn handle_resurrected_objects_recomputes_reachability() {
    let mut heap = GcHeap::new();
    let [revived, held, dead] = ["revived", "held", "dead"].map(|name| heap.alloc(name));
    heap.link(revived, held);
    heap.link(held, revived);
    heap.link(dead, dead);
    drop_all(&mut heap, &[revived, held, dead]);
    heap.deduce_unreachable(ListId::GEN0, ListId::UNREACHABLE);
    assert_eq!(heap.list_names(ListId::UNREACHABLE), "revived held dead");
    heap.incref(revived); // as if its finalizer had stored it in a global
    heap.handle_resurrected_objects(ListId::UNREACHABLE, ListId::FINAL_UNREACHABLE, ListId::GEN1);
    assert_eq!(heap.list_names(ListId::FINAL_UNREACHABLE), "dead");
    assert_eq!(heap.list_names(ListId::GEN1), "revived held");
    assert!(heap.gc_list_is_empty(ListId::UNREACHABLE));
}

#[test]
fn a_custom_unraisablehook_receives_the_exception() {
    let seen: Rc<RefCell<Vec<UnraisableHookArgs>>> = Rc::default();
    let mut heap = GcHeap::new();
    let sink = Rc::clone(&seen);
    heap.set_unraisablehook(Some(Box::new(move |args| {
        sink.borrow_mut().push(args.clone())
    })));
    let x = with_del(
        &mut heap,
        "x",
        Finalizer::Raise {
            class: "Resource",
            error: "OSError: closed",
        },
    );
    heap.decref(x);
    assert_eq!(heap.take_log(), ["__del__ x"], "the hook prints nothing");
    assert_eq!(
        *seen.borrow(),
        [UnraisableHookArgs {
            err_msg: "Exception ignored in".to_string(),
            object: "<function Resource.__del__ at 0x…>".to_string(),
            exc: "OSError: closed".to_string(),
        }]
    );
}

#[test]
fn legacy_finalizers_keep_their_weakrefs_and_everything_they_reach() {
    // `legacy` <-> `mid` -> `leaf`: all unreachable, all uncollectable. Only `legacy` goes to
    // gc.garbage; a weakref to `leaf` is not cleared, its callback does not run.
    let mut heap = GcHeap::new();
    let legacy = heap.alloc("legacy");
    heap.set_legacy_finalizer(legacy);
    let mid = with_del(&mut heap, "mid", Finalizer::Print);
    let leaf = heap.alloc("leaf");
    heap.link(legacy, mid);
    heap.link(mid, legacy);
    heap.link(mid, leaf);
    let wr = heap.new_weakref(leaf, Some(Callback::print("callback")));
    drop_all(&mut heap, &[legacy, mid, leaf]);
    assert_eq!(heap.collect(2), Ok(3));
    assert_eq!(heap.take_log(), Vec::<String>::new());
    assert_eq!(heap.garbage(), [legacy]);
    assert_eq!(heap.weakref_get(wr), Some(leaf));
    assert_eq!(heap.refcnt(legacy), 2, "gc.garbage holds a reference");
    assert_eq!(heap.list_names(ListId::GEN2), "wr(leaf) legacy mid leaf");
}

// The property test (random garbage with finalizers and weakrefs against an oracle) lives in
// its own file.
mod oracle;
