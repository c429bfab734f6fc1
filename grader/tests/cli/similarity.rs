//! `grade` writes `similarity.csv`: two students whose edited code is the same but for names,
//! comments and layout are listed; students who wrote their own code are not.

use std::path::Path;

use crate::common::*;

/// `add.rs` written out at length, so there is enough of the student's own code to compare.
const ALICE: &str = r#"/// The sum of `a` and `b`.
pub fn add(a: u64, b: u64) -> u64 {
    // Add digit by digit, as on paper.
    let mut total = 0u64;
    let mut carry = 0u64;
    let mut shift = 0u32;
    let (mut x, mut y) = (a, b);
    while x > 0 || y > 0 || carry > 0 {
        let digit = (x % 10) + (y % 10) + carry;
        total += (digit % 10) * 10u64.pow(shift);
        carry = digit / 10;
        x /= 10;
        y /= 10;
        shift += 1;
    }
    total
}
"#;

/// Alice's code with other names, comments and layout.
const BOB: &str = r#"/// The sum of `a` and `b`.
pub fn add(a: u64, b: u64) -> u64 {
    let mut sum = 0u64; let mut c = 0u64; let mut place = 0u32;
    let (mut p, mut q) = (a, b);
    while p > 0 || q > 0 || c > 0 {
        let d = (p % 10) + (q % 10) + c;   // one column
        sum += (d % 10) * 10u64.pow(place);
        c = d / 10;
        p /= 10;
        q /= 10;
        place += 1;
    }
    sum
}
"#;

/// Her own way: a loop of increments.
const CAROL: &str = r#"/// The sum of `a` and `b`.
pub fn add(a: u64, b: u64) -> u64 {
    let mut result = a;
    for _ in 0..b {
        result = result.checked_add(1).expect("no overflow in the tests");
    }
    if b > 1_000_000 {
        return a.wrapping_add(b);
    }
    result
}
"#;

/// His own way: bit by bit.
const DAVE: &str = r#"/// The sum of `a` and `b`.
pub fn add(a: u64, b: u64) -> u64 {
    let (mut x, mut y) = (a, b);
    while y != 0 {
        let carry = x & y;
        x ^= y;
        y = carry << 1;
    }
    x
}
"#;

fn student(subs: &Path, id: &str, add: &str) {
    let src = subs.join(id).join("exercises/arith/src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("add.rs"), add).unwrap();
}

#[test]
fn students_with_the_same_code_under_other_names_are_listed_for_a_human_to_look() {
    let course = fixture_course();
    let subs = tempfile::tempdir().unwrap();
    student(subs.path(), "alice", ALICE);
    student(subs.path(), "bob", BOB);
    student(subs.path(), "carol", CAROL);
    student(subs.path(), "dave", DAVE);
    let out = tempfile::tempdir().unwrap();
    grade_ok(course.path(), subs.path(), out.path(), &["--timeout", "5"]);
    let csv = std::fs::read_to_string(out.path().join("similarity.csv")).unwrap();
    let mut lines = csv.lines();
    let comment = lines.next().unwrap();
    assert!(
        comment.starts_with("# ") && comment.contains("not a verdict"),
        "{csv}"
    );
    assert_eq!(
        lines.next(),
        Some("student_a,student_b,score,shared_fragments,files")
    );
    let pairs: Vec<(&str, &str)> = lines
        .map(|l| {
            let mut f = l.split(',');
            (f.next().unwrap(), f.next().unwrap())
        })
        .collect();
    // Alice and Bob share their code; Carol and Dave wrote their own.
    assert!(pairs.contains(&("alice", "bob")), "{csv}");
    assert_eq!(pairs.len(), 1, "{csv}");
}
