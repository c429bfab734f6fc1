//! A real program on the finished allocator: this whole test binary (the test harness, its
//! threads, std's collections) allocates through pymalloc.

use std::collections::{BTreeMap, HashMap};

use allocator::global::PyMalloc;

#[global_allocator]
static GLOBAL: PyMalloc = PyMalloc::new();

/// A small-object workload in the spirit of a Python program: strings, maps, vectors that
/// grow, boxed tree nodes, on several threads at once.
fn workload(seed: u64) -> u64 {
    enum Tree {
        Leaf,
        Node(Box<Tree>, Box<Tree>, u64),
    }
    fn build(depth: u32, v: u64) -> Tree {
        if depth == 0 {
            Tree::Leaf
        } else {
            Tree::Node(
                Box::new(build(depth - 1, v * 2)),
                Box::new(build(depth - 1, v * 2 + 1)),
                v,
            )
        }
    }
    fn sum(t: &Tree) -> u64 {
        match t {
            Tree::Leaf => 0,
            Tree::Node(l, r, v) => v + sum(l) + sum(r),
        }
    }

    let mut words: HashMap<String, usize> = HashMap::new();
    let mut index: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..20_000u64 {
        let x = (i ^ seed).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40;
        let word = format!("w{}-{}", x % 1000, "x".repeat((x % 40) as usize));
        *words.entry(word.clone()).or_default() += 1;
        index.entry(x % 97).or_default().push(word);
        if i % 1000 == 0 {
            total += sum(&build(10, i));
        }
    }
    total + words.len() as u64 + index.values().map(|v| v.len() as u64).sum::<u64>()
}

#[test]
fn a_multithreaded_program_runs_on_pymalloc_and_gets_the_same_answers() {
    let expected: Vec<u64> = (0..4).map(workload).collect();
    let handles: Vec<_> = (0..4)
        .map(|s| std::thread::spawn(move || workload(s)))
        .collect();
    let got: Vec<u64> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert_eq!(got, expected);

    let (arenas, blocks, highwater) = GLOBAL.with(|a| {
        (
            a.arenas().narenas_currently_allocated(),
            a.allocated_blocks(),
            a.arenas().narenas_highwater(),
        )
    });
    assert!(
        highwater >= 2,
        "the workload needed several arenas (high-water mark {highwater})"
    );
    assert!(
        arenas >= 1 && blocks > 0,
        "the harness itself still holds blocks"
    );
}

#[test]
fn small_rust_allocations_land_in_pymalloc_arenas() {
    let boxed = Box::new([0u8; 40]);
    let s = String::from("hello, pymalloc");
    let big = vec![0u8; 100_000];
    let (small_ours, str_ours, big_ours) = GLOBAL.with(|a| {
        (
            a.address_in_range(boxed.as_ptr()),
            a.address_in_range(s.as_ptr()),
            a.address_in_range(big.as_ptr()),
        )
    });
    assert!(small_ours && str_ours, "small blocks come from pools");
    assert!(!big_ours, "a 100 kB vector comes from malloc");
}
