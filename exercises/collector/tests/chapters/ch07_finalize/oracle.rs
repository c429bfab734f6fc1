//! Chapter 7's property test: random garbage with finalizers (some resurrecting) and weak
//! references with callbacks, collected once, checked against a reachability oracle. It checks
//! the whole GC path of chapters 5 to 7: no object still in use is freed or cleared, a
//! resurrected object keeps everything it reaches, every callback and finalizer runs once, and
//! the callbacks run before any finalizer.

use collector::cycles::{GcHeap, ObjId};
use collector::finalize::Finalizer;
use collector::weakref::Callback;
use proptest::prelude::*;

/// The nodes reachable from `roots` following `edges`, by a plain graph search.
fn reach(roots: impl IntoIterator<Item = usize>, n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    let mut marked = vec![false; n];
    let mut stack: Vec<usize> = roots.into_iter().collect();
    while let Some(i) = stack.pop() {
        if !std::mem::replace(&mut marked[i], true) {
            stack.extend(edges.iter().filter(|e| e.0 == i).map(|e| e.1));
        }
    }
    marked
}

proptest! {
    // 256 small cases (well under a second): garbage that holds a weakref to other garbage is
    // rare enough that 64 cases often miss it.
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(256)
    })]

    /// Objects `o0..` with random references; weak references `w0..` with callbacks (printing
    /// `cbK`) to random objects, each held either by the program or by an object. The program
    /// drops the variables of the objects not in `keep` (reference counting frees the acyclic
    /// garbage), then gives the survivors random finalizers and calls `collect(2)`.
    ///
    /// The oracle: `live` = reachable from the kept objects and the program's weakrefs; the
    /// rest of what is still alive is the unreachable set; the objects with a resurrecting
    /// `__del__` come back with everything they reach. After the collection exactly those and
    /// `live` remain, with their references intact; a weakref in `live` still gives its
    /// referent if that is in `live`, and is cleared otherwise.
    #[test]
    fn one_collection_with_finalizers_and_weakrefs_matches_the_oracle(
        n in 1usize..9,
        edges in proptest::collection::vec((0usize..9, 0usize..9), 0..24),
        keep in proptest::collection::vec(proptest::bool::weighted(0.3), 9),
        finalizers in proptest::collection::vec(0u8..3, 9),
        weakrefs in proptest::collection::vec(
            (0usize..9, proptest::option::weighted(0.6, 0usize..9)), 0..8),
    ) {
        let edges: Vec<(usize, usize)> = edges.into_iter().filter(|&(f, t)| f < n && t < n).collect();
        let weakrefs: Vec<(usize, Option<usize>)> = weakrefs
            .into_iter()
            .filter(|&(t, h)| t < n && h.is_none_or(|h| h < n))
            .collect();
        let mut heap = GcHeap::new();
        // Nodes 0..n are objects, n.. are weakrefs; `graph` holds every strong reference.
        let mut ids: Vec<ObjId> = (0..n).map(|i| heap.alloc(&format!("o{i}"))).collect();
        let mut graph = edges.clone();
        for &(f, t) in &edges {
            heap.link(ids[f], ids[t]);
        }
        let mut roots: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
        for (k, &(target, holder)) in weakrefs.iter().enumerate() {
            let wr = heap.new_weakref(ids[target], Some(Callback::print(&format!("cb{k}"))));
            ids.push(wr);
            match holder {
                Some(h) => {
                    heap.link(ids[h], wr);
                    heap.decref(wr);
                    graph.push((h, n + k));
                }
                None => roots.push(n + k),
            }
        }
        let total = ids.len();
        for i in (0..n).filter(|&i| !keep[i]) {
            heap.decref(ids[i]);
        }
        heap.take_log(); // callbacks of the weakrefs whose referents reference counting freed

        let live = reach(roots.iter().copied(), total, &graph);
        let alive_before: Vec<bool> = ids.iter().map(|&op| heap.is_alive(op)).collect();
        for i in 0..total {
            prop_assert!(alive_before[i] || !live[i], "reference counting freed node {} in use", i);
        }
        let unreachable: Vec<bool> = (0..total).map(|i| alive_before[i] && !live[i]).collect();
        let mut expected_lines = Vec::new();
        let mut revived = Vec::new();
        for i in (0..n).filter(|&i| alive_before[i]) {
            let finalizer = [Finalizer::None, Finalizer::Print, Finalizer::Resurrect][finalizers[i] as usize];
            heap.set_finalizer(ids[i], finalizer);
            if unreachable[i] && finalizer != Finalizer::None {
                expected_lines.push(format!("__del__ o{i}"));
                if finalizer == Finalizer::Resurrect {
                    revived.push(i);
                }
            }
        }
        for (k, &(target, _)) in weakrefs.iter().enumerate() {
            if alive_before[n + k] && live[n + k] && unreachable[target] {
                expected_lines.push(format!("cb{k}"));
            }
        }
        let saved = reach(revived.iter().copied(), total, &graph);
        let survives: Vec<bool> = (0..total).map(|i| live[i] || (alive_before[i] && saved[i])).collect();

        let found = heap.collect(2).unwrap();
        let log = heap.take_log();
        let freed = (0..total).filter(|&i| alive_before[i] && !survives[i]).count();
        prop_assert_eq!(found, freed, "collect(2) returns what it freed");
        let mut sorted_log = log.clone();
        sorted_log.sort();
        expected_lines.sort();
        prop_assert_eq!(sorted_log, expected_lines, "each callback and finalizer once: {:?}", log);
        let last_callback = log.iter().rposition(|l| l.starts_with("cb"));
        let first_del = log.iter().position(|l| l.starts_with("__del__"));
        if let (Some(cb), Some(del)) = (last_callback, first_del) {
            prop_assert!(cb < del, "on the GC path every callback runs before any __del__: {:?}", log);
        }
        for i in 0..total {
            prop_assert_eq!(heap.is_alive(ids[i]), survives[i], "node {} after collect(2)", i);
            if survives[i] {
                let held: Vec<ObjId> = graph.iter().filter(|e| e.0 == i).map(|e| ids[e.1]).collect();
                prop_assert_eq!(heap.referents(ids[i]), &held[..], "node {} lost references", i);
            }
        }
        for (k, &(target, _)) in weakrefs.iter().enumerate() {
            if heap.is_alive(ids[n + k]) {
                let expected = (live[n + k] && live[target]).then_some(ids[target]);
                prop_assert_eq!(heap.weakref_get(ids[n + k]), expected, "w{} -> o{}", k, target);
            }
        }
    }
}
