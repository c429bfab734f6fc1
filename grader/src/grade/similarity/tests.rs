//! The similarity report's behaviour on small, realistic classes.
use super::{CrateFiles, SimilarPair, similar_pairs, write_csv};

/// An allocator's size classes: three functions left `todo!()` for the student.
const STUB: &str = r#"//! Size classes: requests of 1..=512 bytes are rounded up to a multiple of ALIGNMENT.

/// Blocks are aligned to, and sized in multiples of, this many bytes.
pub const ALIGNMENT: usize = 16;
/// The largest request served from a pool; larger ones go to the system allocator.
pub const SMALL_REQUEST_THRESHOLD: usize = 512;
pub const NB_SMALL_SIZE_CLASSES: usize = SMALL_REQUEST_THRESHOLD / ALIGNMENT;

/// The size class of a request (0 for 1..=16, 1 for 17..=32…), or `None` for 0 and > 512.
pub fn size_class(size: usize) -> Option<usize> {
    // TODO
    todo!("None for 0 and for more than 512, else round up and divide")
}

/// How many of `requests` each size class serves (requests too large are skipped).
pub fn histogram(requests: &[usize]) -> Vec<usize> {
    // TODO
    todo!("count the requests per size class")
}

/// The classes whose blocks waste, on average over `requests`, more than `max_waste` bytes.
pub fn wasteful_classes(requests: &[usize], max_waste: usize) -> Vec<usize> {
    // TODO
    todo!("sum the waste per class, then keep the classes above max_waste on average")
}
"#;

/// The stub with its `// TODO` bodies replaced, in order, by `bodies` ("" keeps one).
fn solved(bodies: [&str; 3]) -> String {
    let (mut out, mut rest) = (String::new(), STUB);
    for body in bodies {
        let start = rest.find("    // TODO\n").unwrap();
        let end = start + rest[start..].find(")\n").unwrap() + 2;
        out.push_str(&rest[..if body.is_empty() { end } else { start }]);
        out.push_str(body);
        rest = &rest[end..];
    }
    out + rest
}

fn pairs(students: &[(impl AsRef<str>, impl AsRef<str>)]) -> Vec<SimilarPair> {
    let files = |source: &str| -> CrateFiles {
        let src = [("src/size_class.rs".to_string(), source.as_bytes().to_vec())];
        [("allocator".to_string(), src.into())].into()
    };
    let class: Vec<_> = students
        .iter()
        .map(|(id, src)| (id.as_ref().into(), files(src.as_ref())))
        .collect();
    similar_pairs(&files(STUB), &class)
}

fn alice() -> String {
    solved([
        "    if size == 0 || size > SMALL_REQUEST_THRESHOLD {
        return None;
    }
    Some((size + ALIGNMENT - 1) / ALIGNMENT - 1)
",
        "    let mut counts = vec![0; NB_SMALL_SIZE_CLASSES];
    for &request in requests {
        if let Some(class) = size_class(request) {
            counts[class] += 1;
        }
    }
    counts
",
        "    let mut wasted = vec![0usize; NB_SMALL_SIZE_CLASSES];
    let counts = histogram(requests);
    for &request in requests {
        if let Some(class) = size_class(request) {
            wasted[class] += (class + 1) * ALIGNMENT - request;
        }
    }
    let mut result = Vec::new();
    for class in 0..NB_SMALL_SIZE_CLASSES {
        if counts[class] > 0 && wasted[class] / counts[class] > max_waste {
            result.push(class);
        }
    }
    result
",
    ])
}

/// Alice's solution disguised: names, comments, layout and numbers changed, the doc comments
/// made plain comments.
fn bob() -> String {
    solved([
        "    if n == 0 || n > SMALL_REQUEST_THRESHOLD { return None; } // not pymalloc's
    Some((n + ALIGNMENT - 1) / ALIGNMENT - 1) /* round up */
",
        "    let mut tally = vec![0; NB_SMALL_SIZE_CLASSES];
    for &r in reqs { if let Some(k) = size_class(r) { tally[k] += 1; } }
    tally
",
        "    let mut lost = vec![0u64; NB_SMALL_SIZE_CLASSES]; // bytes lost per class
    let n = histogram(reqs);
    for &r in reqs {
        if let Some(k) = size_class(r) { lost[k] += (k + 1) * ALIGNMENT - r; }
    }
    let mut out = Vec::new();
    for k in 0..NB_SMALL_SIZE_CLASSES {
        if n[k] > 1 && lost[k] / n[k] > limit { out.push(k); }
    }
    out
",
    ])
    .replace("/// ", "// ")
    .replace("(size: usize)", "(n: usize)")
    .replace("(requests: &[usize]", "(reqs: &[usize]")
    .replace("max_waste: usize)", "limit: usize)")
}

/// An independent solution: `match`, iterator adaptors and a fold.
fn carol() -> String {
    solved([
        "    match size {
        1..=SMALL_REQUEST_THRESHOLD => Some((size - 1) >> 4),
        _ => None,
    }
",
        "    let zeros = vec![0; NB_SMALL_SIZE_CLASSES];
    requests.iter().filter_map(|&r| size_class(r)).fold(zeros, |mut h, c| {
        h[c] += 1;
        h
    })
",
        "    let mut totals: Vec<(usize, usize)> = vec![(0, 0); NB_SMALL_SIZE_CLASSES];
    for (class, request) in requests.iter().filter_map(|&r| size_class(r).map(|c| (c, r))) {
        totals[class].0 += 1;
        totals[class].1 += (class + 1) * ALIGNMENT - request;
    }
    (0..NB_SMALL_SIZE_CLASSES)
        .filter(|&c| totals[c].0 > 0 && totals[c].1 > max_waste * totals[c].0)
        .collect()
",
    ])
}

#[test]
fn renamed_and_reformatted_copy_is_listed_with_a_high_score() {
    let found = pairs(&[("bob", bob()), ("alice", alice()), ("carol", carol())]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].a.as_str(), found[0].b.as_str()), ("alice", "bob"));
    assert!(found[0].score >= 0.9, "{found:?}");
    assert_eq!(found[0].files, ["allocator/src/size_class.rs"]);
}

#[test]
fn independent_solutions_to_the_same_stub_are_not_listed() {
    assert_eq!(pairs(&[("alice", alice()), ("carol", carol())]), []);
}

#[test]
fn stub_code_is_ignored_so_an_unchanged_stub_and_small_edits_make_no_pair() {
    let line = solved([
        "",
        "    requests.iter().map(|&r| size_class(r).unwrap_or(0)).collect()\n",
        "",
    ]);
    assert_eq!(
        pairs(&[("dave", STUB), ("erin", &line), ("frank", &line)]),
        []
    );
    // A file that does not tokenise is compared word by word, its stub lines still ignored.
    let broken = line.replace("(0))", "(0)");
    assert_eq!(
        pairs(&[("dave", STUB), ("hal", &broken), ("ivy", &broken)]),
        []
    );
}

#[test]
fn code_most_of_the_class_shares_makes_no_pair() {
    let mut class: Vec<(String, String)> = (0..8).map(|i| (format!("s{i}"), alice())).collect();
    class.extend([("carol".into(), carol()), ("dave".into(), STUB.into())]);
    assert_eq!(pairs(&class), []);
    // The same code shared by only two students is unusual, and listed.
    assert_eq!(pairs(&class[..2]).len(), 1);
}

#[test]
fn csv_says_it_is_no_verdict_quotes_ids_and_is_deterministic() {
    let class = [
        ("smith, jane", alice()),
        ("o\"brien", bob()),
        ("carol", carol()),
    ];
    let dirs = [(); 3].map(|()| tempfile::tempdir().unwrap());
    write_csv(&pairs(&class), dirs[0].path()).unwrap();
    write_csv(&pairs(&class), dirs[1].path()).unwrap();
    write_csv(&[], dirs[2].path()).unwrap();
    let [first, second, empty] =
        dirs.map(|d| std::fs::read_to_string(d.path().join("similarity.csv")).unwrap());
    assert_eq!(first, second);
    let lines: Vec<&str> = first.lines().collect();
    assert!(
        lines[0].starts_with("# ") && lines[0].contains("not a verdict"),
        "{first}"
    );
    assert_eq!(lines[1], "student_a,student_b,score,shared_fragments,files");
    let row = lines[2]
        .strip_suffix(",allocator/src/size_class.rs")
        .unwrap_or_default();
    assert!(
        row.starts_with(r#""o""brien","smith, jane",1.00,"#) && lines.len() == 3,
        "{first}"
    );
    assert_eq!(empty, lines[..2].join("\n") + "\n");
}
