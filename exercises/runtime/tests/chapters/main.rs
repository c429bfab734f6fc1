//! The `runtime` crate's tests: one module per chapter step. The grader selects an exercise's
//! tests by module prefix (see `exercises/course.toml`), e.g. `ch14_runtime::`.

mod ch14_runtime;
