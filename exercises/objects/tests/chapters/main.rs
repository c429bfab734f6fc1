//! The `objects` crate's tests: one module per chapter step. The grader selects an exercise's
//! tests by module prefix (see `exercises/course.toml`), e.g. `ch01_layout::`.
//!
//! `corpus` holds no tests: it is the table of expected numbers that the chapter tests read and
//! that the solution crate's `cpython_agrees` test checks against `python3`.

mod corpus;

mod ch01_layout;
mod ch02_freelist;
mod ch03_slots;
