//! The `collector` crate's tests: one module per chapter step. The grader selects an exercise's
//! tests by module prefix (see `exercises/course.toml`), e.g. `ch04_refcount::`.

mod ch04_refcount;
mod ch05_cycles;
mod ch06_weakref;
mod ch07_finalize;
mod ch13_generations;
