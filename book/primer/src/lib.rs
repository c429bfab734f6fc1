//! The Rust primer of the book's appendix (`book/src/appendix/rust-primer.md`).
//!
//! The code lives in `examples/`, one file per idea, each runnable with
//! `cargo run -p primer --example <name>`. Every example prints the text of its `run()`
//! function, and `tests/outputs.rs` checks that the page shows exactly that text, so the book
//! and the code cannot drift apart. This library itself is empty.
