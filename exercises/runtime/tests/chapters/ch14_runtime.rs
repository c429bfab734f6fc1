//! Chapter 14, the capstone: the memory glue, checked by running Python programs on it.
//!
//! - `glue`: small programs, each testing one duty of your `memory.rs` (a block per object,
//!   tracking, deallocation order, the trashcan, cycles, `__del__`).
//! - `corpus`: every program of `tests/programs/`, compared line for line with the output
//!   CPython 3.11 printed (written at the end of each file), and again under stress mode.

mod corpus;
mod expected;
mod glue;
