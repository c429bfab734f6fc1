//! Chapter 5's property test: random graphs, collected, checked against a plain
//! mark-from-the-roots search.

use collector::cycles::{GcHeap, ObjId};
use proptest::prelude::*;

/// The objects reachable from `roots` following `edges`, by a plain graph search.
fn mark_from(
    roots: impl IntoIterator<Item = usize>,
    n: usize,
    edges: &[(usize, usize)],
) -> Vec<bool> {
    let mut marked = vec![false; n];
    let mut stack: Vec<usize> = roots.into_iter().collect();
    while let Some(i) = stack.pop() {
        if !marked[i] {
            marked[i] = true;
            stack.extend(edges.iter().filter(|e| e.0 == i).map(|e| e.1));
        }
    }
    marked
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(64)
    })]

    /// Random graphs: `old` objects are allocated and survive one collect(0) (they move to
    /// generation 1), then the others are allocated, random references are added, and the
    /// program drops its variables to the objects not in `keep`. The collector knows no roots,
    /// but its result must match a mark-from-roots oracle:
    /// - collect(0) frees exactly the young objects unreachable from the kept objects and from
    ///   every older object (older generations count as roots);
    /// - collect(2) frees exactly the objects unreachable from the kept ones;
    /// - no reachable object is freed, and each keeps its references.
    #[test]
    fn collect_frees_exactly_what_the_roots_do_not_reach(
        n in 1usize..20,
        old in 0usize..20,
        edges in proptest::collection::vec((0usize..20, 0usize..20), 0..50),
        keep in proptest::collection::vec(any::<bool>(), 20),
    ) {
        let old = old.min(n);
        let edges: Vec<(usize, usize)> = edges.into_iter().filter(|&(f, t)| f < n && t < n).collect();
        let mut heap = GcHeap::new();
        let mut ids: Vec<ObjId> = (0..old).map(|i| heap.alloc(&format!("o{i}"))).collect();
        heap.collect(0).unwrap();
        ids.extend((old..n).map(|i| heap.alloc(&format!("o{i}"))));
        for &(f, t) in &edges {
            heap.link(ids[f], ids[t]);
        }
        for i in 0..n {
            if !keep[i] {
                heap.decref(ids[i]);
            }
        }
        let roots: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
        let reachable = mark_from(roots.iter().copied(), n, &edges);
        let alive: Vec<bool> = ids.iter().map(|&op| heap.is_alive(op)).collect();
        for i in 0..n {
            prop_assert!(alive[i] || !reachable[i], "refcounting freed reachable o{}", i);
        }

        // Young collection: older live objects are roots too. It frees the young objects they
        // do not reach; reference counting then frees whatever only those held (maybe old
        // objects too).
        let young_roots = mark_from(
            roots.iter().copied().chain((0..old).filter(|&i| alive[i])), n, &edges);
        let unreachable: Vec<usize> = (old..n).filter(|&i| alive[i] && !young_roots[i]).collect();
        prop_assert_eq!(heap.collect(0).unwrap(), unreachable.len());
        let mut alive_after: Vec<bool> = (0..n).map(|i| alive[i] && !unreachable.contains(&i)).collect();
        while let Some(i) = (0..n).find(|&i| {
            alive_after[i] && !keep[i] && !edges.iter().any(|&(f, t)| t == i && alive_after[f])
        }) {
            alive_after[i] = false;
        }
        for i in 0..n {
            prop_assert_eq!(heap.is_alive(ids[i]), alive_after[i], "o{} after collect(0)", i);
            prop_assert!(alive_after[i] || !reachable[i], "collect(0) freed reachable o{}", i);
        }

        // Full collection: exactly the reachable objects remain, their references intact.
        let alive_now = (0..n).filter(|&i| heap.is_alive(ids[i])).count();
        let reachable_count = reachable.iter().filter(|&&r| r).count();
        prop_assert_eq!(heap.collect(2).unwrap(), alive_now - reachable_count);
        for i in 0..n {
            prop_assert_eq!(heap.is_alive(ids[i]), reachable[i], "o{} after collect(2)", i);
            if reachable[i] {
                let expected: Vec<ObjId> =
                    edges.iter().filter(|e| e.0 == i).map(|e| ids[e.1]).collect();
                prop_assert_eq!(heap.referents(ids[i]), &expected[..]);
            }
        }
    }
}
