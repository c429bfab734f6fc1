//! The course tool behind `cargo course …`: student commands (list, check, watch, hint),
//! instructor grading (grade), and maintainer checks (verify, book).
//!
//! See `grader/README.md` for every command and the manifest format.

pub mod book;
pub mod cargo;
pub mod course;
pub mod doctest;
pub mod edition;
pub mod grade;
pub mod hash;
pub mod manifest;
pub mod order;
pub mod pyrun;
pub mod results;
pub mod runner;
pub mod signatures;
pub mod student;
pub mod tables;
pub mod verify;
pub mod watch;
