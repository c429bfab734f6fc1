//! The `allocator` crate's tests: one module per chapter step. The grader selects an
//! exercise's tests by module prefix (see `exercises/course.toml`), e.g. `ch09_pool::`.

mod ch08_size_class;
mod ch09_pool;
mod ch10_arena;
mod ch10_arena_map;
mod ch10_global;
mod ch10_obmalloc;
mod ch11_debug;
mod ch11_stats;
mod ch12_trace;
