//! The capstone (Part V): a small Python runtime whose objects live in *your* crates.
//!
//! Every object the program makes is sized by `objects::layout`, its bytes come from
//! `allocator::obmalloc::Obmalloc` (pymalloc, the raw domain above 512 bytes), and its life —
//! reference counts, the deallocation cascade, cycles, `__del__`, generations — is run by
//! `collector::cycles::GcHeap`. The parser (the `rustpython-parser` crate), the evaluator and
//! the builtins are given in [`interp`]; what you write is the memory glue in [`memory`]: how an
//! object is allocated, how each type is deallocated, traversed and cleared.
//!
//! Run a program with `cargo course run FILE.py` (add `--compare` to diff it with CPython 3.11).

pub mod interp;
pub mod memory;

pub use interp::{Options, Output, run_source};
