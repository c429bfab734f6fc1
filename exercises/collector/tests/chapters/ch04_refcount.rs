//! Chapter 4, reference counting: `collector::refcount` (`cargo course check refcount`).

use collector::refcount::{Event, Handle, Heap, RefError};

use deadline::{GENEROUS, within};

/// Runs a test with a deadline (shared by every chapter module of the collector; declared once).
#[path = "deadline.rs"]
pub(crate) mod deadline;

/// The event log since the last call, one event per line (what the snapshots show).
fn log(heap: &mut Heap) -> String {
    let lines: Vec<String> = heap.take_events().iter().map(|e| e.to_string()).collect();
    lines.join("\n")
}

/// Allocates `name` and hands the caller's reference over to `owner`: afterwards only `owner`
/// keeps the new object alive (like `owner.append(Thing())` in Python).
fn alloc_owned_by(heap: &mut Heap, owner: Handle, name: &str) -> Handle {
    let obj = heap.alloc(name);
    heap.link(owner, obj).unwrap();
    heap.decref(obj).unwrap();
    obj
}

/// A handle this heap never issued: handle number `n` of another heap.
fn foreign_handle(n: usize) -> Handle {
    let mut other = Heap::new();
    (0..=n).map(|_| other.alloc("elsewhere")).last().unwrap()
}

#[test]
fn new_object_starts_with_one_reference() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    assert_eq!(a.to_string(), "#0");
    assert_eq!(heap.refcount(a), Ok(1), "the caller owns the new reference");
    assert!(heap.is_alive(a));
    assert_eq!(heap.live_objects(), 1);
    assert_eq!(
        heap.references(a),
        Ok(&[][..]),
        "a new object holds nothing"
    );
    assert_eq!(
        heap.events(),
        [Event::Alloc {
            obj: a,
            name: "a".into()
        }]
    );
}

#[test]
fn incref_and_decref_move_the_count_by_one() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    heap.incref(a).unwrap();
    heap.incref(a).unwrap();
    assert_eq!(heap.refcount(a), Ok(3));
    heap.decref(a).unwrap();
    assert_eq!(heap.refcount(a), Ok(2));
    heap.decref(a).unwrap();
    assert_eq!(heap.refcount(a), Ok(1));
    assert!(
        heap.is_alive(a),
        "a count of one still keeps the object alive"
    );
    assert_eq!(log(&mut heap), "alloc #0 'a'", "nothing was deallocated");
}

#[test]
fn decref_to_zero_deallocates_the_object() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    let b = heap.alloc("b");
    heap.decref(a).unwrap();
    assert!(!heap.is_alive(a));
    assert!(
        heap.is_alive(b),
        "only the object whose count reached zero goes"
    );
    assert_eq!(heap.live_objects(), 1);
    assert_eq!(log(&mut heap), "alloc #0 'a'\nalloc #1 'b'\ndealloc #0 'a'");
}

#[test]
fn handles_are_never_reused() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    heap.decref(a).unwrap();
    let b = heap.alloc("b");
    assert_ne!(
        a, b,
        "a new object gets a new handle, even though #0 is free"
    );
    assert_eq!(b.to_string(), "#1");
    assert!(
        !heap.is_alive(a),
        "the stale handle still refers to the dead object"
    );
    assert_eq!(heap.refcount(b), Ok(1));
}

#[test]
fn link_takes_a_new_reference_to_the_target() {
    let mut heap = Heap::new();
    let list = heap.alloc("list");
    let item = heap.alloc("item");
    heap.link(list, item).unwrap();
    assert_eq!(
        heap.refcount(item),
        Ok(2),
        "the program's reference plus the list's"
    );
    assert_eq!(
        heap.refcount(list),
        Ok(1),
        "holding a reference does not change the holder"
    );
    heap.link(list, item).unwrap();
    assert_eq!(
        heap.refcount(item),
        Ok(3),
        "each link is one more reference"
    );
    assert_eq!(heap.references(list), Ok(&[item, item][..]));
    assert_eq!(heap.references(item), Ok(&[][..]), "links are one-way");
}

#[test]
fn unlink_drops_that_reference() {
    let mut heap = Heap::new();
    let list = heap.alloc("list");
    let x = heap.alloc("x");
    let y = heap.alloc("y");
    heap.link(list, x).unwrap();
    heap.link(list, y).unwrap();
    heap.link(list, x).unwrap();
    heap.unlink(list, x).unwrap();
    assert_eq!(heap.refcount(x), Ok(2));
    assert_eq!(
        heap.references(list),
        Ok(&[y, x][..]),
        "the first reference to x goes, like list.remove; the others keep their order"
    );
    heap.decref(y).unwrap();
    heap.take_events();
    heap.unlink(list, y).unwrap();
    assert!(!heap.is_alive(y), "that was the last reference to y");
    assert_eq!(log(&mut heap), "dealloc #2 'y'");
}

#[test]
fn dealloc_drops_the_references_the_object_held() {
    let mut heap = Heap::new();
    let list = heap.alloc("list");
    alloc_owned_by(&mut heap, list, "first");
    alloc_owned_by(&mut heap, list, "second");
    let kept = heap.alloc("kept");
    heap.link(list, kept).unwrap();
    heap.decref(list).unwrap();
    assert_eq!(heap.live_objects(), 1, "only `kept` has another owner");
    assert_eq!(heap.refcount(kept), Ok(1));
    insta::assert_snapshot!(log(&mut heap));
}

#[test]
fn shared_child_survives_until_its_last_owner_dies() {
    let mut heap = Heap::new();
    let left = heap.alloc("left");
    let right = heap.alloc("right");
    let child = alloc_owned_by(&mut heap, left, "child");
    heap.link(right, child).unwrap();
    assert_eq!(heap.refcount(child), Ok(2));
    heap.take_events();
    heap.decref(left).unwrap();
    assert!(heap.is_alive(child), "right still holds the child");
    assert_eq!(heap.refcount(child), Ok(1));
    let first = log(&mut heap);
    heap.decref(right).unwrap();
    assert!(!heap.is_alive(child));
    let second = log(&mut heap);
    insta::assert_snapshot!(format!("decref(left):\n{first}\ndecref(right):\n{second}"));
}

#[test]
fn cascade_frees_objects_in_the_order_their_counts_reached_zero() {
    // root -> [left, right], left -> [left.0, left.1], right -> [right.0]
    let mut heap = Heap::new();
    let root = heap.alloc("root");
    let left = alloc_owned_by(&mut heap, root, "left");
    let right = alloc_owned_by(&mut heap, root, "right");
    alloc_owned_by(&mut heap, left, "left.0");
    alloc_owned_by(&mut heap, left, "left.1");
    alloc_owned_by(&mut heap, right, "right.0");
    heap.take_events();
    heap.decref(root).unwrap();
    assert_eq!(heap.live_objects(), 0);
    // Level by level (a FIFO worklist), not depth first (which is what recursion gives).
    insta::assert_snapshot!(log(&mut heap));
}

#[test]
fn a_two_object_cycle_leaks_under_refcounting_alone() {
    // a = []; b = [a]; a.append(b); del a, b
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    let b = heap.alloc("b");
    heap.link(a, b).unwrap();
    heap.link(b, a).unwrap();
    heap.decref(a).unwrap();
    heap.decref(b).unwrap();
    assert_eq!(
        heap.live_objects(),
        2,
        "unreachable, yet each keeps the other alive"
    );
    assert_eq!(heap.refcount(a), Ok(1));
    assert_eq!(heap.refcount(b), Ok(1));
    assert_eq!(
        log(&mut heap),
        "alloc #0 'a'\nalloc #1 'b'",
        "no dealloc: a leak"
    );
}

#[test]
fn self_reference_keeps_an_object_alive() {
    // a = []; a.append(a); del a
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    heap.link(a, a).unwrap();
    assert_eq!(heap.refcount(a), Ok(2));
    heap.decref(a).unwrap();
    assert!(heap.is_alive(a));
    assert_eq!(heap.references(a), Ok(&[a][..]));
    // Only an operation from outside (here `unlink`, in Python `a.clear()`) can free it.
    heap.unlink(a, a).unwrap();
    assert!(!heap.is_alive(a));
}

#[test]
fn over_decref_surfaces_when_the_dangling_reference_is_dropped() {
    let mut heap = Heap::new();
    let list = heap.alloc("list");
    let item = alloc_owned_by(&mut heap, list, "item");
    // The bug: a decref of a reference the program does not own (it handed it to `list`).
    heap.decref(item).unwrap();
    assert!(
        !heap.is_alive(item),
        "freed too early: list still points to it"
    );
    assert_eq!(
        heap.references(list),
        Ok(&[item][..]),
        "a dangling reference"
    );
    // The error shows up only later, when list drops that reference.
    let err = heap.decref(list).unwrap_err();
    assert_eq!(
        err,
        RefError::NegativeRefcount {
            obj: item,
            name: "item".into()
        }
    );
    assert_eq!(heap.live_objects(), 0, "the cascade still finished");
    insta::assert_snapshot!(format!("{}\nerror: {err}", log(&mut heap)));
}

#[test]
fn million_long_chain_is_freed_without_recursion() {
    const N: usize = 1_000_000;
    // On a thread with the 2 MiB of stack a test thread has: a recursive cascade overflows it.
    let what = "freeing a million-long chain must take linear time, without recursion";
    within(GENEROUS, what, || {
        // head -> n1 -> n2 -> ... ; each node is owned only by the one before it.
        let mut heap = Heap::new();
        let head = heap.alloc("head");
        let mut handles = Vec::with_capacity(N);
        handles.push(head);
        for _ in 1..N {
            let node = alloc_owned_by(&mut heap, *handles.last().unwrap(), "");
            handles.push(node);
        }
        assert_eq!(heap.live_objects(), N);
        heap.take_events();
        heap.decref(head).unwrap();
        assert_eq!(heap.live_objects(), 0);
        let events = heap.take_events();
        assert_eq!(events.len(), N);
        let in_chain_order = events
            .iter()
            .zip(&handles)
            .all(|(e, h)| matches!(e, Event::Dealloc { obj, .. } if obj == h));
        assert!(
            in_chain_order,
            "each node dies right after the one before it"
        );
    });
}

#[test]
fn million_references_from_one_object_are_dropped_in_linear_time() {
    const N: usize = 1_000_000;
    let what = "dropping the million references one object holds must take linear time";
    let events = within(GENEROUS, what, || {
        let mut heap = Heap::new();
        let hub = heap.alloc("hub");
        let shared = heap.alloc("shared");
        for _ in 0..N / 2 {
            alloc_owned_by(&mut heap, hub, "");
            heap.link(hub, shared).unwrap();
        }
        assert_eq!(heap.references(hub).map(|r| r.len()), Ok(N));
        heap.take_events();
        heap.decref(hub).unwrap();
        assert_eq!(heap.live_objects(), 1, "only `shared` survives");
        assert_eq!(heap.refcount(shared), Ok(1));
        heap.take_events()
    });
    assert_eq!(
        events.len(),
        1 + N / 2,
        "the hub and every object only it held"
    );
    assert_eq!(events[0].to_string(), "dealloc #0 'hub'");
    assert_eq!(events[1].to_string(), "dealloc #2 ''");
    assert_eq!(
        events[N / 2].to_string(),
        format!("dealloc #{} ''", N / 2 + 1)
    );
}

#[test]
fn error_messages_name_the_object_and_the_cause() {
    let mut heap = Heap::new();
    let a = heap.alloc("a");
    let b = heap.alloc("b");
    heap.decref(b).unwrap();
    let errors = [
        heap.decref(b).unwrap_err(),
        heap.incref(b).unwrap_err(),
        heap.link(a, b).unwrap_err(),
        heap.refcount(foreign_handle(9)).unwrap_err(),
        heap.unlink(a, b).unwrap_err(),
    ];
    let lines: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    insta::assert_snapshot!(lines.join("\n"));
}

// The error tests, and the property test (random programs against a naive oracle), live in
// their own files.
mod errors;
mod oracle;
