//! Chapter 4: the errors a heap reports, and the promise that an error leaves the heap
//! unchanged (`Unknown`, `Dead`, `NegativeRefcount`, `NotReferenced`).

use collector::refcount::{Handle, Heap, RefError};

use super::{alloc_owned_by, foreign_handle, log};

#[test]
fn decref_of_a_dead_object_is_a_negative_refcount_error() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    heap.decref(a).unwrap();
    assert_eq!(
        heap.decref(a),
        Err(RefError::NegativeRefcount {
            obj: a,
            name: "a".into()
        })
    );
}

#[test]
fn incref_of_a_dead_handle_is_an_error() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    let b = heap.alloc("b");
    heap.decref(a).unwrap();
    let dead = |op| RefError::Dead {
        op,
        obj: a,
        name: "a".into(),
    };
    assert_eq!(heap.incref(a), Err(dead("incref")));
    assert_eq!(heap.refcount(a), Err(dead("refcount")));
    assert_eq!(heap.references(a), Err(dead("references")));
    assert_eq!(heap.link(a, b), Err(dead("link")));
    assert_eq!(heap.link(b, a), Err(dead("link")));
    assert_eq!(heap.unlink(a, b), Err(dead("unlink")));
}

#[test]
fn handles_from_another_heap_are_unknown() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    let stranger = foreign_handle(5);
    assert!(!heap.is_alive(stranger));
    let unknown = |op| RefError::Unknown { op, obj: stranger };
    assert_eq!(heap.incref(stranger), Err(unknown("incref")));
    assert_eq!(heap.decref(stranger), Err(unknown("decref")));
    assert_eq!(heap.refcount(stranger), Err(unknown("refcount")));
    assert_eq!(heap.link(a, stranger), Err(unknown("link")));
    assert_eq!(heap.unlink(a, stranger), Err(unknown("unlink")));
}

#[test]
fn unlink_without_a_link_is_an_error() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    let b = heap.alloc("b");
    heap.link(b, a).unwrap();
    assert_eq!(
        heap.unlink(a, b),
        Err(RefError::NotReferenced { from: a, to: b }),
        "b holds a, not the other way round"
    );
    heap.unlink(b, a).unwrap();
    assert_eq!(
        heap.unlink(b, a),
        Err(RefError::NotReferenced { from: b, to: a }),
        "the only link is gone already"
    );
    assert_eq!(heap.refcount(a), Ok(1));
}

/// Everything a test can observe about a heap, as text.
fn state(heap: &Heap, handles: &[Handle]) -> String {
    let mut out = String::new();
    for &h in handles {
        match (heap.refcount(h), heap.references(h)) {
            (Ok(count), Ok(refs)) => out += &format!("{h}: count {count}, holds {refs:?}\n"),
            _ => out += &format!("{h}: dead\n"),
        }
    }
    let events: Vec<String> = heap.events().iter().map(|e| e.to_string()).collect();
    out + &format!("{} live; log: {}", heap.live_objects(), events.join(", "))
}

#[test]
fn errors_leave_the_heap_unchanged() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    let b = heap.alloc("b");
    let gone = heap.alloc("gone");
    heap.link(a, b).unwrap();
    heap.decref(gone).unwrap();
    let stranger = foreign_handle(7);
    let handles = [a, b, gone];
    let before = state(&heap, &handles);
    assert!(heap.decref(gone).is_err());
    assert!(heap.incref(gone).is_err());
    assert!(
        heap.link(a, gone).is_err(),
        "a must not hold a reference to a dead object"
    );
    assert!(heap.link(gone, a).is_err());
    assert!(heap.link(a, stranger).is_err());
    assert!(heap.unlink(b, a).is_err());
    assert!(heap.unlink(a, stranger).is_err());
    assert!(heap.decref(stranger).is_err());
    assert_eq!(state(&heap, &handles), before);
}

#[test]
fn over_decref_inside_one_cascade_is_an_error_not_a_panic() {
    // owner -> [a, b], a -> [b]: b has two owners, but the program drops one reference too many.
    let mut heap = Heap::new();
    let owner = heap.alloc("owner");
    let a = alloc_owned_by(&mut heap, owner, "a");
    let b = alloc_owned_by(&mut heap, owner, "b");
    heap.link(a, b).unwrap();
    heap.decref(b).unwrap(); // the bug
    assert_eq!(
        heap.refcount(b),
        Ok(1),
        "a's reference is no longer counted"
    );
    heap.take_events();
    // owner dies: a and b both reach zero and wait; then a drops b, whose count is already 0.
    let err = heap.decref(owner).unwrap_err();
    assert_eq!(
        err,
        RefError::NegativeRefcount {
            obj: b,
            name: "b".into()
        }
    );
    assert_eq!(heap.live_objects(), 0, "the cascade still finished");
    assert_eq!(
        log(&mut heap),
        "dealloc #0 'owner'\ndealloc #1 'a'\ndealloc #2 'b'"
    );
}

#[test]
fn unlink_of_an_already_deallocated_target_is_a_negative_refcount_error() {
    // list = [item], then the bug: the program drops a reference to item it does not own, so
    // item is freed while list still holds it.
    let mut heap = Heap::new();
    let list = heap.alloc("list");
    let item = alloc_owned_by(&mut heap, list, "item");
    heap.decref(item).unwrap();
    assert!(!heap.is_alive(item));
    let before = state(&heap, &[list, item]);
    assert_eq!(
        heap.unlink(list, item),
        Err(RefError::NegativeRefcount {
            obj: item,
            name: "item".into()
        }),
        "list does hold item, but dropping that reference would take a dead count below zero"
    );
    assert_eq!(
        state(&heap, &[list, item]),
        before,
        "an error changes nothing: the dangling reference stays in list"
    );
}
