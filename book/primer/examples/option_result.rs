//! `Option` and `Result`: Python's `None` and exceptions, written into the types.
//!
//! Run it: `cargo run -p primer --example option_result`

use std::fmt;

// ANCHOR: option
/// Python's `names.index(wanted)` raises `ValueError`; `dict.get` returns `None`. Rust says
/// "maybe no answer" in the return type, and the caller cannot forget the `None` case.
pub fn position(names: &[&str], wanted: &str) -> Option<usize> {
    names.iter().position(|name| *name == wanted)
}

/// `?` on an `Option`: return `None` from this function at once if there is no value.
pub fn first_char_of(names: &[&str], wanted: &str) -> Option<char> {
    let i = position(names, wanted)?;
    names[i].chars().next()
}
// ANCHOR_END: option

// ANCHOR: result
/// The errors a heap operation can raise: a Python exception class hierarchy, as one enum.
#[derive(Debug, PartialEq)]
pub enum HeapError {
    Unknown(usize),
    Dead(String),
}

impl fmt::Display for HeapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeapError::Unknown(id) => write!(f, "no object #{id} in this heap"),
            HeapError::Dead(name) => write!(f, "'{name}' was already deallocated"),
        }
    }
}

pub struct Heap {
    names: Vec<String>,
    /// `None` once the object is freed; its name stays, for the messages.
    counts: Vec<Option<usize>>,
}

impl Heap {
    pub fn refcount(&self, id: usize) -> Result<usize, HeapError> {
        match self.counts.get(id) {
            None => Err(HeapError::Unknown(id)),
            Some(None) => Err(HeapError::Dead(self.names[id].clone())),
            Some(Some(count)) => Ok(*count),
        }
    }

    /// `?` on a `Result`: an `Err` leaves this function at once, like an exception that
    /// nobody catches here, but you can see every place where it may happen.
    pub fn total(&self, ids: &[usize]) -> Result<usize, HeapError> {
        let mut sum = 0;
        for &id in ids {
            sum += self.refcount(id)?;
        }
        Ok(sum)
    }
}
// ANCHOR_END: result

// ANCHOR: run
pub fn run() -> String {
    let names = ["a", "b"];
    let heap = Heap {
        names: names.iter().map(|n| n.to_string()).collect(),
        counts: vec![Some(2), None],
    };
    let mut out = String::new();
    out += &format!("position(b) = {:?}\n", position(&names, "b"));
    out += &format!("position(z) = {:?}\n", position(&names, "z"));
    out += &format!("first_char_of(z) = {:?}\n", first_char_of(&names, "z"));
    out += &format!("refcount(0) = {:?}\n", heap.refcount(0));
    out += &format!("refcount(7) = {:?}\n", heap.refcount(7));
    out += &format!("total([0, 0]) = {:?}\n", heap.total(&[0, 0]));
    out += &format!("total([0, 1, 7]) = {:?}\n", heap.total(&[0, 1, 7]));
    // Python's `try: ... except HeapError as e:` is a `match` (or `if let`) on the Result.
    if let Err(e) = heap.refcount(1) {
        out += &format!("error: {e}\n");
    }
    // Turning one into the other: `ok_or` (Option -> Result) and `ok` (Result -> Option).
    let missing = position(&names, "z").ok_or(HeapError::Unknown(99));
    out += &format!("ok_or: {missing:?}, ok: {:?}\n", heap.refcount(0).ok());
    out
}
// ANCHOR_END: run

fn main() {
    print!("{}", run());
}
