//! The shared corpora: the expected numbers of the layout and slots tests, each written once.
//! The exercise tests read them, and the solution crate's `cpython_agrees` test checks every one
//! against `python3` (CPython 3.11).

pub mod layout_cases;
pub mod slots_cases;
