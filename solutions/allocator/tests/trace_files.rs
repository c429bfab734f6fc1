//! The benchmark's newer trace files are well-formed: each parses, frees and reallocates only
//! live blocks and allocates only ids that are not live; the four analogues of mimalloc-bench's
//! workloads stay within pymalloc's 512-byte limit. The CPython program's trace is recorded into
//! `target/traces` by the benchmark (too large to commit), so it is checked when it is there.

use allocator::replay::{Op, Trace};

const TRACES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../exercises/allocator/tests/chapters/traces"
);

const CPYTHON_PROGRAM: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../target/traces/cpython-program.rep"
);

/// What a consistent trace asked for: its largest request and its peak live payload, in bytes.
#[derive(Debug)]
struct Extent {
    largest: usize,
    peak_payload: usize,
}

/// Checks that every freed or reallocated id is live and every allocated id is not.
fn consistent(t: &Trace) -> Result<Extent, String> {
    let mut live: Vec<Option<usize>> = vec![None; t.num_ids];
    let (mut payload, mut extent) = (
        0usize,
        Extent {
            largest: 0,
            peak_payload: 0,
        },
    );
    for (n, op) in t.ops.iter().enumerate() {
        let at = |what: &str| format!("{} request {} ({op:?}): {what}", t.name, n + 1);
        match *op {
            Op::Alloc { id, size } => {
                if live[id].is_some() {
                    return Err(at("allocates an id that is live"));
                }
                live[id] = Some(size);
                payload += size;
                extent.largest = extent.largest.max(size);
            }
            Op::Realloc { id, size } => {
                let old = live[id].ok_or_else(|| at("reallocates an id that is not live"))?;
                live[id] = Some(size);
                payload = payload - old + size;
                extent.largest = extent.largest.max(size);
            }
            Op::Free { id } => {
                let old = live[id]
                    .take()
                    .ok_or_else(|| at("frees an id that is not live"))?;
                payload -= old;
            }
        }
        extent.peak_payload = extent.peak_payload.max(payload);
    }
    Ok(extent)
}

#[test]
fn the_check_rejects_requests_on_ids_that_are_not_live() {
    let bad = ["a 0 8\nf 0\nf 0", "a 0 8\na 0 16", "a 0 8\nr 1 16", "f 3"];
    for text in bad {
        let t = Trace::parse("bad", text).unwrap();
        assert!(consistent(&t).is_err(), "{text:?} passed the check");
    }
    let good = Trace::parse("good", "a 0 8\nr 0 600\na 1 24\nf 0\na 0 4\nf 1").unwrap();
    let extent = consistent(&good).unwrap();
    assert_eq!((extent.largest, extent.peak_payload), (600, 624));
}

#[test]
fn mimalloc_bench_analogues_are_small_consistent_traces() {
    for name in [
        "cfrac.rep",
        "sh6bench.rep",
        "alloc-test.rep",
        "glibc-simple.rep",
    ] {
        let path = format!("{TRACES}/{name}");
        let t = Trace::load(&path).unwrap();
        let extent = consistent(&t).unwrap();
        assert!(
            extent.largest <= 512,
            "{name} asks for {} bytes",
            extent.largest
        );
        assert!(
            (20_000..=100_000).contains(&t.ops.len()),
            "{name} has {} requests",
            t.ops.len()
        );
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with(&format!("# {name}: imitates ")),
            "{name}'s header does not say what it imitates"
        );
    }
}

#[test]
fn the_recorded_cpython_program_is_consistent_and_large() {
    if !std::path::Path::new(CPYTHON_PROGRAM).exists() {
        eprintln!(
            "skipped: {CPYTHON_PROGRAM} is not recorded yet \
             (`cargo bench -p allocator-solution --bench throughput` records it)"
        );
        return;
    }
    let t = Trace::load(CPYTHON_PROGRAM).unwrap();
    let extent = consistent(&t).unwrap();
    assert!(
        extent.peak_payload >= 64 << 20,
        "the peak live payload is only {} bytes",
        extent.peak_payload
    );
}
